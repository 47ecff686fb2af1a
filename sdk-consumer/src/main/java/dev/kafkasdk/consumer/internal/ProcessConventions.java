package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.core.internal.MessagingConventions;

/**
 * The consumer's observation names and keys beyond the ones shared with the producer ({@link
 * MessagingConventions}); documented in docs/observability.md as a stable set.
 */
final class ProcessConventions {
  /** The batch handler call's record count (OpenTelemetry's key). */
  static final String BATCH_COUNT = "messaging.batch.message_count";

  /** The runner's name. */
  static final String RUNNER = "ksdk.runner";

  /** The call's attempt at its record, from 1. */
  static final String ATTEMPT = "ksdk.attempt";

  /** The dead-letter observation: the failed call's link, written into the dead letter. */
  static final String DEAD_LETTER_NAME = "ksdk.dead_letter";

  /** Its {@code messaging.operation.name}; the operation type is {@code send}. */
  static final String DEAD_LETTER = "dead_letter";

  private ProcessConventions() {}
}
