package dev.kafkasdk.consumer.internal;

/**
 * The names of the consumer's process observation: the observation name, its keys and their fixed
 * values, after OpenTelemetry's messaging semantic conventions. Shared with the producer's send
 * observation where the keys are the same; documented in docs/observability.md as a stable set.
 */
final class ProcessConventions {
  /** The observation's name (the metric name a timer handler would use). */
  static final String NAME = "ksdk.process";

  /** The contextual (span) name is this prefix and the topic. */
  static final String CONTEXTUAL_PREFIX = "process ";

  static final String SYSTEM = "messaging.system";
  static final String SYSTEM_KAFKA = "kafka";
  static final String OPERATION_NAME = "messaging.operation.name";
  static final String OPERATION_TYPE = "messaging.operation.type";
  static final String PROCESS = "process";
  static final String DESTINATION = "messaging.destination.name";
  static final String CONSUMER_GROUP = "messaging.consumer.group.name";

  static final String PARTITION = "messaging.destination.partition.id";
  static final String OFFSET = "messaging.kafka.offset";
  static final String MESSAGE_KEY = "messaging.kafka.message.key";
  static final String BATCH_COUNT = "messaging.batch.message_count";
  static final String RUNNER = "ksdk.runner";
  static final String ATTEMPT = "ksdk.attempt";

  /** The dead-letter observation: the failed call's link, written into the dead letter. */
  static final String DEAD_LETTER_NAME = "ksdk.dead_letter";

  static final String DEAD_LETTER_CONTEXTUAL_PREFIX = "dead-letter ";
  static final String DEAD_LETTER = "dead_letter";
  static final String SEND = "send";

  private ProcessConventions() {}
}
