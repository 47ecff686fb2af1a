package dev.kafkasdk.consumer.internal;

/**
 * The parts of a poll loop that its rebalance callbacks share with it, all confined to the loop's
 * thread.
 *
 * @param assignments the partitions owned and their progress
 * @param inbox the completions of handler calls
 * @param committer commits what the partition states allow
 * @param pauses back-pressure and the application's pauses
 * @param progress per-partition lag and progress, for gauges and stuck detection
 * @param <K> key type
 * @param <V> value type
 */
record LoopParts<K, V>(
    Assignments<K, V> assignments,
    CompletionInbox<K, V> inbox,
    OffsetCommitter committer,
    PauseControl pauses,
    LoopProgress progress) {}
