package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.CleanupPolicy;

/**
 * Estimates file handles a broker keeps open for partition replicas. Each segment is a {@code .log}
 * file plus its {@code .index} and {@code .timeindex}; a replica has as many segments as its
 * retention keeps plus the active one. The estimate is a lower bound: it assumes segments roll by
 * time ({@code segment.ms}) or size ({@code retention.bytes / segment.bytes}), whichever gives
 * fewer, and ignores transaction indexes, snapshots and client sockets that share the same limit.
 */
public final class OpenFileEstimate {
  /** {@code .log}, {@code .index} and {@code .timeindex} per segment. */
  public static final int FILES_PER_SEGMENT = 3;

  /** Assumed segments per replica of other topics, whose settings the advisor does not know. */
  public static final int ASSUMED_SEGMENTS_OTHER_TOPICS = 2;

  private OpenFileEstimate() {}

  /**
   * Estimates the segments one replica of the topic keeps.
   *
   * @param t the topic
   * @return at least 2 (one closed, one active) for topics that delete, at least 1 otherwise
   */
  public static long segmentsPerReplica(TopicFacts t) {
    if (t.cleanupPolicy() == CleanupPolicy.COMPACT) {
      // The cleaner merges compacted segments; old ones are not deleted by age or size.
      return ASSUMED_SEGMENTS_OTHER_TOPICS;
    }
    long bySize =
        t.retentionBytes() > 0 ? ceilDiv(t.retentionBytes(), t.segmentBytes()) + 1 : Long.MAX_VALUE;
    long byTime =
        t.retentionMs() > 0 ? ceilDiv(t.retentionMs(), t.segmentMs()) + 1 : Long.MAX_VALUE;
    long segments = Math.min(bySize, byTime);
    return segments == Long.MAX_VALUE ? ASSUMED_SEGMENTS_OTHER_TOPICS : Math.max(1, segments);
  }

  /**
   * Files for one replica of the topic.
   *
   * @param t the topic
   * @return segments times {@link #FILES_PER_SEGMENT}
   */
  public static long filesPerReplica(TopicFacts t) {
    return segmentsPerReplica(t) * FILES_PER_SEGMENT;
  }

  /**
   * Files for one replica of a topic whose settings are unknown.
   *
   * @return {@link #ASSUMED_SEGMENTS_OTHER_TOPICS} times {@link #FILES_PER_SEGMENT}
   */
  public static long filesPerOtherReplica() {
    return (long) ASSUMED_SEGMENTS_OTHER_TOPICS * FILES_PER_SEGMENT;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
