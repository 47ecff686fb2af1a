package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.core.internal.MessagingConventions;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The process observation's names and keys (see {@link MessagingConventions} and {@link
 * ProcessConventions}): low-cardinality keys are those a metrics handler may use as tags;
 * partition, offset, runner, attempt and the opt-in key are high-cardinality, for spans only.
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
    return MessagingConventions.PROCESS_OBSERVATION;
  }

  @Override
  public String getContextualName(ProcessContext context) {
    return MessagingConventions.spanName(MessagingConventions.PROCESS, context.record().topic());
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(ProcessContext context) {
    return KeyValues.of(
        MessagingConventions.SYSTEM, MessagingConventions.KAFKA,
        MessagingConventions.OPERATION_NAME, MessagingConventions.PROCESS,
        MessagingConventions.OPERATION_TYPE, MessagingConventions.PROCESS,
        MessagingConventions.DESTINATION_NAME, context.record().topic(),
        MessagingConventions.CONSUMER_GROUP, context.group());
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(ProcessContext context) {
    KeyValues values =
        KeyValues.of(
            MessagingConventions.PARTITION, Integer.toString(context.record().partition()),
            MessagingConventions.OFFSET, Long.toString(context.record().offset()),
            ProcessConventions.RUNNER, context.runner());
    if (context.count() > 1) {
      values = values.and(ProcessConventions.BATCH_COUNT, Integer.toString(context.count()));
    }
    if (context.attempt() > 0) {
      values = values.and(ProcessConventions.ATTEMPT, Integer.toString(context.attempt()));
    }
    String key = context.includeKey() ? MessagingConventions.keyText(context.record().key()) : null;
    if (key != null) {
      values = values.and(MessagingConventions.MESSAGE_KEY, key);
    }
    return values;
  }
}
