package dev.kafkasdk.consumer.internal;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The process observation's names and keys (see {@link ProcessConventions}): low-cardinality keys
 * are those a metrics handler may use as tags; partition, offset, runner, attempt and the opt-in
 * key are high-cardinality, for spans only.
 */
final class ProcessConvention implements ObservationConvention<ProcessContext> {
  static final ProcessConvention INSTANCE = new ProcessConvention();

  private ProcessConvention() {}

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof ProcessContext;
  }

  @Override
  public String getName() {
    return ProcessConventions.NAME;
  }

  @Override
  public String getContextualName(ProcessContext context) {
    return ProcessConventions.CONTEXTUAL_PREFIX + context.record().topic();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(ProcessContext context) {
    return KeyValues.of(
        ProcessConventions.SYSTEM, ProcessConventions.SYSTEM_KAFKA,
        ProcessConventions.OPERATION_NAME, ProcessConventions.PROCESS,
        ProcessConventions.OPERATION_TYPE, ProcessConventions.PROCESS,
        ProcessConventions.DESTINATION, context.record().topic(),
        ProcessConventions.CONSUMER_GROUP, context.group());
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(ProcessContext context) {
    KeyValues values =
        KeyValues.of(
            ProcessConventions.PARTITION, Integer.toString(context.record().partition()),
            ProcessConventions.OFFSET, Long.toString(context.record().offset()),
            ProcessConventions.RUNNER, context.runner());
    if (context.count() > 1) {
      values = values.and(ProcessConventions.BATCH_COUNT, Integer.toString(context.count()));
    }
    if (context.attempt() > 0) {
      values = values.and(ProcessConventions.ATTEMPT, Integer.toString(context.attempt()));
    }
    if (context.includeKey() && context.record().key() != null) {
      values = values.and(ProcessConventions.MESSAGE_KEY, String.valueOf(context.record().key()));
    }
    return values;
  }
}
