package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.CleanupPolicy;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.Severity;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Cleanup policy, retention, segments and compaction (Kafka documentation, "Log Compaction" and the
 * topic configs: https://kafka.apache.org/documentation/#compaction,
 * https://kafka.apache.org/documentation/#topicconfigs).
 */
public final class CleanupChecks implements AdvisorCheck {
  /** Segments below this size are "very small". */
  public static final long SMALL_SEGMENT_BYTES = 16L * 1024 * 1024;

  /** Segments rolled more often than this roll "constantly". */
  public static final long SHORT_SEGMENT_MS = 10L * 60 * 1000;

  /** At or below this dirty ratio the cleaner runs nearly constantly. */
  public static final double LOW_DIRTY_RATIO = 0.1;

  /** At or above this dirty ratio most of a compacted log is duplicates. */
  public static final double HIGH_DIRTY_RATIO = 0.9;

  @Override
  public void check(TopicFacts t, AdvisorSettings s, List<Finding> out) {
    String name = t.name();
    CleanupPolicy policy = t.cleanupPolicy();
    if (policy.compacts() && t.keyed().equals(Optional.of(false))) {
      out.add(
          new Finding(
              AdvisorRule.COMPACTION_WITHOUT_KEYS,
              Severity.CRITICAL,
              name,
              TopicConfig.CLEANUP_POLICY_CONFIG,
              "cleanup.policy="
                  + policy.configValue()
                  + " keeps the latest record per key, but the"
                  + " spec says producers write without keys; the broker rejects keyless records"
                  + " on a compacted topic (InvalidRecordException).",
              "write every record with a key and declare keyed(true), or use cleanup.policy=delete"
                  + " with a retention."));
    }
    if (t.segmentBytes() < SMALL_SEGMENT_BYTES) {
      out.add(
          new Finding(
              AdvisorRule.SEGMENT_TOO_SMALL,
              Severity.WARNING,
              name,
              TopicConfig.SEGMENT_BYTES_CONFIG,
              "segment.bytes="
                  + t.segmentBytes()
                  + " ("
                  + mib(t.segmentBytes())
                  + "): every partition rolls a new segment (a .log,"
                  + " .index and .timeindex file, all kept open) at that size, so a busy"
                  + " partition holds many files and the broker and log cleaner constantly open,"
                  + " close and scan segments.",
              "keep the default 1 GiB, or at least "
                  + mib(SMALL_SEGMENT_BYTES)
                  + "; use retention.ms to bound age."));
    }
    if (t.segmentMs() < SHORT_SEGMENT_MS) {
      out.add(
          new Finding(
              AdvisorRule.SEGMENT_ROLLS_TOO_OFTEN,
              Severity.WARNING,
              name,
              TopicConfig.SEGMENT_MS_CONFIG,
              "segment.ms="
                  + t.segmentMs()
                  + " rolls a new segment at least every "
                  + seconds(t.segmentMs())
                  + " per partition that receives data, multiplying"
                  + " files and cleaner work.",
              "use hours (the default is 7 days); roll more often only to make compaction or"
                  + " deletion react faster."));
    }
    if (policy.compacts() && t.dirtyRatio() <= LOW_DIRTY_RATIO) {
      out.add(
          new Finding(
              AdvisorRule.DIRTY_RATIO_TOO_LOW,
              Severity.WARNING,
              name,
              TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
              "min.cleanable.dirty.ratio="
                  + t.dirtyRatio()
                  + " starts the log cleaner as soon"
                  + " as that small a share of the log is not yet compacted, so it runs almost"
                  + " constantly and loads the broker's disk and CPU.",
              "keep the default 0.5; to bound how long duplicates live use"
                  + " max.compaction.lag.ms instead."));
    }
    if (policy.compacts() && t.dirtyRatio() >= HIGH_DIRTY_RATIO) {
      out.add(
          new Finding(
              AdvisorRule.DIRTY_RATIO_HIGH,
              Severity.INFO,
              name,
              TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
              "min.cleanable.dirty.ratio="
                  + t.dirtyRatio()
                  + " compacts efficiently but only"
                  + " once most of the log is duplicates, so the topic uses up to about "
                  + Math.round(1 / (1 - Math.min(t.dirtyRatio(), 0.99)))
                  + " times the disk of its compacted size.",
              "fine if disk is cheap; lower it towards 0.5 to save disk."));
    }
    if (policy == CleanupPolicy.COMPACT
        && (t.declared().contains(TopicConfig.RETENTION_MS_CONFIG)
            || t.declared().contains(TopicConfig.RETENTION_BYTES_CONFIG))) {
      out.add(
          new Finding(
              AdvisorRule.SETTING_WITHOUT_EFFECT,
              Severity.INFO,
              name,
              TopicConfig.RETENTION_MS_CONFIG + "/" + TopicConfig.RETENTION_BYTES_CONFIG,
              "retention is declared but cleanup.policy=compact never deletes by age or size.",
              "use CleanupPolicy.COMPACT_DELETE if old keys should also expire, or drop the"
                  + " retention setting."));
    }
    if (policy == CleanupPolicy.DELETE
        && t.declared().contains(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG)) {
      out.add(
          new Finding(
              AdvisorRule.SETTING_WITHOUT_EFFECT,
              Severity.INFO,
              name,
              TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
              "min.cleanable.dirty.ratio is declared but cleanup.policy=delete never compacts.",
              "drop it, or use a compacting cleanup policy."));
    }
    if (policy.deletes() && t.retentionBytes() > 0 && t.retentionBytes() < t.segmentBytes()) {
      out.add(
          new Finding(
              AdvisorRule.RETENTION_BYTES_BELOW_SEGMENT,
              Severity.WARNING,
              name,
              TopicConfig.RETENTION_BYTES_CONFIG,
              "retention.bytes="
                  + t.retentionBytes()
                  + " is smaller than one segment ("
                  + t.segmentBytes()
                  + " bytes). Retention deletes whole closed segments, so"
                  + " each segment is deleted as soon as it rolls: the partition keeps anywhere"
                  + " from nothing to one full segment, not the size you asked for.",
              "make segment.bytes a fraction of retention.bytes (for example a tenth), keeping"
                  + " in mind retention.bytes applies per partition."));
    }
    if (policy == CleanupPolicy.DELETE && t.retentionMs() == -1 && t.retentionBytes() == -1) {
      out.add(
          new Finding(
              AdvisorRule.UNLIMITED_RETENTION,
              Severity.INFO,
              name,
              TopicConfig.RETENTION_MS_CONFIG,
              "retention.ms and retention.bytes are both unlimited, so nothing is ever deleted and"
                  + " the topic's disk use and segment count only grow.",
              "set a retention, or use compaction if only the latest value per key matters."));
    }
  }

  private static String mib(long bytes) {
    return bytes % (1024 * 1024) == 0
        ? bytes / (1024 * 1024) + " MiB"
        : String.format("%.2f MiB", bytes / (1024.0 * 1024));
  }

  private static String seconds(long ms) {
    return ms >= 1000 ? ms / 1000 + " s" : ms + " ms";
  }
}
