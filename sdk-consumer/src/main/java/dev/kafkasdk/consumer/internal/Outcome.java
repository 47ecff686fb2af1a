package dev.kafkasdk.consumer.internal;

/** How one unit of work ended. */
enum Outcome {
  /** Processed; the offsets may be committed. */
  DONE,
  /** The handler failed and the policy said stop. */
  FAILED,
  /** Never run, or interrupted by a shutdown: the partition was revoked or the runner stopped. */
  ABANDONED,
  /**
   * A run of KEY ordering's fast path met a failing record: the records before it are finished, and
   * the poll thread hands the ones from it on to their key lanes ({@link LaneRouter}).
   */
  HANDED_BACK
}
