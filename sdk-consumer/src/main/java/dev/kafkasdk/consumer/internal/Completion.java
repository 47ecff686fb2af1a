package dev.kafkasdk.consumer.internal;

/**
 * A worker's report that a unit of work ended; the poll thread applies it.
 *
 * @param work the work
 * @param outcome how it ended
 * @param error the failure for {@link Outcome#FAILED}, else null
 */
record Completion<K, V>(Work<K, V> work, Outcome outcome, Throwable error) {}
