package dev.kafkasdk.consumer.internal;

/**
 * A worker's report that a unit of work ended; the poll thread applies it.
 *
 * @param work the work
 * @param outcome how it ended
 * @param error the failure for {@link Outcome#FAILED}; for {@link Outcome#HANDED_BACK} the
 *     handler's failure still to be decided (null when the record could not be deserialized); else
 *     null
 */
record Completion<K, V>(Work<K, V> work, Outcome outcome, Throwable error) {}
