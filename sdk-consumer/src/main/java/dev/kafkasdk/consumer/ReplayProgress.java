package dev.kafkasdk.consumer;

/**
 * How far a {@link DeadLetterReplay} has got, handed to {@link ReplayListener#onProgress}.
 *
 * @param scanned dead letters read so far
 * @param matched of those, how many the selector chose
 * @param sent records handed to the replay's transactions so far, including the open one (they
 *     become visible when it commits); 0 in a dry run
 * @param committed records whose transaction has committed
 * @param toScan records between the start positions and the end offsets captured at start: an upper
 *     bound of {@code scanned} at the end (transaction markers and aborted records take offsets
 *     too)
 */
public record ReplayProgress(long scanned, long matched, long sent, long committed, long toScan) {}
