package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.CleanupPolicy;
import dev.kafkasdk.topics.LiveTopic;
import dev.kafkasdk.topics.TopicSpec;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The values the advisor's rules judge: the live topic's where there is one (that is the truth),
 * otherwise the spec's, otherwise Kafka's documented defaults. Partition count, replication factor
 * and min ISR have no safe assumed default, so they stay unknown when neither source has them.
 *
 * @param name topic name
 * @param partitions partition count, if known
 * @param replicationFactor replication factor, if known
 * @param minInsyncReplicas min ISR, if known
 * @param cleanupPolicy cleanup policy
 * @param retentionMs retention.ms (-1 unlimited)
 * @param retentionBytes retention.bytes (-1 unlimited)
 * @param segmentBytes segment.bytes
 * @param segmentMs segment.ms
 * @param dirtyRatio min.cleanable.dirty.ratio
 * @param uncleanLeaderElection unclean.leader.election.enable
 * @param keyed whether the spec declares the topic keyed; empty without a spec
 * @param declared configuration keys the spec sets explicitly
 * @param live the live topic, if reviewed
 */
public record TopicFacts(
    String name,
    OptionalInt partitions,
    OptionalInt replicationFactor,
    OptionalInt minInsyncReplicas,
    CleanupPolicy cleanupPolicy,
    long retentionMs,
    long retentionBytes,
    long segmentBytes,
    long segmentMs,
    double dirtyRatio,
    boolean uncleanLeaderElection,
    Optional<Boolean> keyed,
    Set<String> declared,
    Optional<LiveTopic> live) {

  /** Kafka's default retention.ms: 7 days. */
  public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

  /** Kafka's default segment.bytes: 1 GiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 1024L * 1024 * 1024;

  /** Kafka's default segment.ms: 7 days. */
  public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;

  /** Kafka's default min.cleanable.dirty.ratio. */
  public static final double DEFAULT_DIRTY_RATIO = 0.5;

  /**
   * Merges a spec and a live topic.
   *
   * @param spec the declaration, may be null
   * @param live the live topic, may be null
   * @return the facts
   * @throws IllegalArgumentException if both are null or their names differ
   */
  public static TopicFacts of(TopicSpec spec, LiveTopic live) {
    if (spec == null && live == null) {
      throw new IllegalArgumentException("need a spec or a live topic");
    }
    if (spec != null && live != null && !spec.name().equals(live.name())) {
      throw new IllegalArgumentException(
          "spec is for " + spec.name() + " but the live topic is " + live.name());
    }
    if (live != null) {
      return new TopicFacts(
          live.name(),
          OptionalInt.of(live.partitionCount()),
          live.partitionCount() == 0
              ? OptionalInt.empty()
              : OptionalInt.of(live.replicationFactor()),
          live.minInsyncReplicas(),
          live.cleanupPolicy().orElse(CleanupPolicy.DELETE),
          live.longConfig(TopicConfig.RETENTION_MS_CONFIG).orElse(DEFAULT_RETENTION_MS),
          live.longConfig(TopicConfig.RETENTION_BYTES_CONFIG).orElse(-1),
          live.longConfig(TopicConfig.SEGMENT_BYTES_CONFIG).orElse(DEFAULT_SEGMENT_BYTES),
          live.longConfig(TopicConfig.SEGMENT_MS_CONFIG).orElse(DEFAULT_SEGMENT_MS),
          live.minCleanableDirtyRatio().orElse(DEFAULT_DIRTY_RATIO),
          live.uncleanLeaderElection().orElse(false),
          spec == null ? Optional.empty() : Optional.of(spec.keyed()),
          spec == null ? Set.of() : spec.configs().keySet(),
          Optional.of(live));
    }
    return new TopicFacts(
        spec.name(),
        spec.partitions(),
        spec.replicationFactor(),
        spec.minInsyncReplicas(),
        spec.cleanupPolicy().orElse(CleanupPolicy.DELETE),
        spec.retentionMs().orElse(DEFAULT_RETENTION_MS),
        spec.retentionBytes().orElse(-1),
        spec.segmentBytes().isPresent() ? spec.segmentBytes().getAsInt() : DEFAULT_SEGMENT_BYTES,
        parseLong(spec.configs().get(TopicConfig.SEGMENT_MS_CONFIG), DEFAULT_SEGMENT_MS),
        spec.minCleanableDirtyRatio().orElse(DEFAULT_DIRTY_RATIO),
        spec.uncleanLeaderElection().orElse(false),
        Optional.of(spec.keyed()),
        spec.configs().keySet(),
        Optional.empty());
  }

  private static long parseLong(String value, long fallback) {
    return value == null ? fallback : Long.parseLong(value);
  }
}
