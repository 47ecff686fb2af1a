package dev.kafkasdk.consumer;

/**
 * Follows a {@link DeadLetterReplay} as it runs, on the thread that called {@link
 * DeadLetterReplay#run()}. Both methods do nothing by default.
 *
 * <p>Throwing from a method stops the replay: the open transaction (with its sends and offsets) is
 * aborted and {@code run()} throws what the listener threw. Everything committed before stays
 * committed, so running the replay again goes on from there without duplicates.
 */
public interface ReplayListener {
  /**
   * Called for each dead letter the selector chose, before it is sent (in a dry run, instead of
   * sending it).
   *
   * @param letter the dead letter
   * @param target the topic it is (or in a dry run would be) sent to; null if it has no original
   *     topic and no target topic was given, so it cannot be replayed
   */
  default void onMatch(DeadLetter letter, String target) {}

  /**
   * Called after each record is handed to the open transaction, and after each commit.
   *
   * @param progress the counts so far
   */
  default void onProgress(ReplayProgress progress) {}
}
