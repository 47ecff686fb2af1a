package dev.kafkasdk.topics;

/**
 * The rules {@link TopicAdvisor} checks. Each has a stable {@link #id()} (used as a metric tag and
 * in the docs) and the severity it usually reports; a finding may carry a different severity when
 * the situation is worse or milder (for example replication factor 1 versus 2).
 */
public enum AdvisorRule {
  /** The replication factor is larger than the cluster: the topic cannot be created. */
  REPLICATION_EXCEEDS_BROKERS("replication-exceeds-brokers", Severity.CRITICAL),
  /** {@code min.insync.replicas} above the replication factor: every acks=all write fails. */
  MIN_ISR_ABOVE_REPLICATION("min-isr-above-replication", Severity.CRITICAL),
  /**
   * {@code min.insync.replicas} equal to the replication factor or broker count: stopping one
   * broker (a rolling restart) blocks acks=all producers.
   */
  MIN_ISR_BLOCKS_ROLLING_RESTART("min-isr-blocks-rolling-restart", Severity.CRITICAL),
  /** {@code min.insync.replicas=1} with acks=all is no safer than acks=1. */
  MIN_ISR_ONE_WITH_ACKS_ALL("min-isr-one-with-acks-all", Severity.WARNING),
  /** Producers do not use acks=all, so {@code min.insync.replicas} protects nothing. */
  ACKS_IGNORE_MIN_ISR("acks-ignore-min-isr", Severity.WARNING),
  /** Replication factor below 3 in production. */
  REPLICATION_BELOW_THREE("replication-below-three", Severity.WARNING),
  /** Partition count, replication factor or min ISR left to broker defaults. */
  BROKER_DEFAULT_APPLIES("broker-default-applies", Severity.INFO),
  /** Unclean leader election may lose acknowledged records. */
  UNCLEAN_LEADER_ELECTION("unclean-leader-election", Severity.WARNING),
  /** Compaction on a topic written without keys: the broker rejects keyless records. */
  COMPACTION_WITHOUT_KEYS("compaction-without-keys", Severity.CRITICAL),
  /** Very small segments: many files and constant segment rolling. */
  SEGMENT_TOO_SMALL("segment-too-small", Severity.WARNING),
  /** {@code segment.ms} so short that segments roll constantly. */
  SEGMENT_ROLLS_TOO_OFTEN("segment-rolls-too-often", Severity.WARNING),
  /** A dirty ratio so low the log cleaner runs nearly constantly. */
  DIRTY_RATIO_TOO_LOW("dirty-ratio-too-low", Severity.WARNING),
  /** A dirty ratio so high that duplicates occupy most of the disk before compaction. */
  DIRTY_RATIO_HIGH("dirty-ratio-high", Severity.INFO),
  /**
   * A declared setting the cleanup policy ignores (retention on compact, dirty ratio on delete).
   */
  SETTING_WITHOUT_EFFECT("setting-without-effect", Severity.INFO),
  /** {@code retention.bytes} smaller than one segment: each rolled segment is deleted at once. */
  RETENTION_BYTES_BELOW_SEGMENT("retention-bytes-below-segment", Severity.WARNING),
  /** Delete policy with unlimited time and size retention: disk use only grows. */
  UNLIMITED_RETENTION("unlimited-retention", Severity.INFO),
  /** Estimated open files on the busiest broker near its open-file limit. */
  OPEN_FILES_NEAR_LIMIT("open-files-near-limit", Severity.WARNING),
  /** More partition replicas on one broker than brokers comfortably handle. */
  PARTITIONS_PER_BROKER_HIGH("partitions-per-broker-high", Severity.WARNING),
  /** Fewer partitions than consumers: the extra consumers sit idle. */
  PARTITIONS_BELOW_CONSUMERS("partitions-below-consumers", Severity.WARNING),
  /** Partitions not a multiple of consumers: some consumers carry more partitions than others. */
  PARTITIONS_UNEVEN_FOR_CONSUMERS("partitions-uneven-for-consumers", Severity.INFO),
  /** Far more partitions than consumers: file, rebalance and latency cost without benefit. */
  PARTITIONS_FAR_ABOVE_CONSUMERS("partitions-far-above-consumers", Severity.INFO),
  /** Keyed topic: adding partitions later remaps keys, so size it with headroom now. */
  KEYED_TOPIC_GROWTH("keyed-topic-growth", Severity.INFO),
  /** A live partition has no leader: it can be neither read nor written. */
  PARTITION_OFFLINE("partition-offline", Severity.CRITICAL),
  /** A live partition has fewer in-sync replicas than {@code min.insync.replicas}. */
  UNDER_MIN_ISR("under-min-isr", Severity.CRITICAL),
  /** A live partition has fewer in-sync replicas than replicas. */
  UNDER_REPLICATED("under-replicated", Severity.WARNING),
  /**
   * A share-group setting outside the broker's bounds ({@code group.share.min/max.*}): the broker
   * refuses to set it.
   */
  SHARE_SETTING_OUTSIDE_BROKER_BOUNDS("share-setting-outside-broker-bounds", Severity.CRITICAL),
  /**
   * A share group's record lock runs out before a member has handled its whole poll: the record is
   * delivered again, to this or another member, while the first is still handling it.
   */
  SHARE_LOCK_SHORTER_THAN_HANDLING("share-lock-shorter-than-handling", Severity.CRITICAL),
  /**
   * {@code share.auto.offset.reset=latest} (Kafka's default): records produced before the share
   * group first reads a partition are never delivered to it.
   */
  SHARE_STARTS_AT_LATEST("share-starts-at-latest", Severity.WARNING),
  /** A share group reads uncommitted records while transactional producers write the topic. */
  SHARE_READS_UNCOMMITTED("share-reads-uncommitted", Severity.WARNING),
  /**
   * A delivery count limit of 2 without a dead-letter topic: one expired lock and one failed
   * attempt archive the record, and nothing keeps it.
   */
  SHARE_DELIVERY_LIMIT_LOW("share-delivery-limit-low", Severity.WARNING);

  private final String id;
  private final Severity typicalSeverity;

  AdvisorRule(String id, Severity typicalSeverity) {
    this.id = id;
    this.typicalSeverity = typicalSeverity;
  }

  /**
   * Returns the stable rule id.
   *
   * @return for example {@code min-isr-one-with-acks-all}
   */
  public String id() {
    return id;
  }

  /**
   * Returns the severity this rule usually reports.
   *
   * @return the typical severity
   */
  public Severity typicalSeverity() {
    return typicalSeverity;
  }
}
