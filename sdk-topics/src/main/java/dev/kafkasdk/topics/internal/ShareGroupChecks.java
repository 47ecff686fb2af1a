package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.Severity;
import dev.kafkasdk.topics.ShareGroupSettings;
import java.time.Duration;
import java.util.List;

/**
 * The settings of a share group (KIP-932, Kafka documentation "Share groups" and the group configs
 * {@code share.*}) that reads the topic: broker bounds, lock duration versus the time a member
 * holds its records, where the group starts, isolation level and the delivery count limit.
 */
public final class ShareGroupChecks implements AdvisorCheck {
  /** Handling that takes more than this share of the lock leaves too little margin. */
  public static final double LOCK_MARGIN_SHARE = 0.5;

  /** At or below this delivery count limit, one expired lock and one failure archive a record. */
  public static final long LOW_DELIVERY_LIMIT = 2;

  private static final String CONFIGURE =
      "kafka-configs.sh --bootstrap-server <brokers> --entity-type groups --entity-name <group>"
          + " --alter --add-config ";

  @Override
  public void check(TopicFacts t, AdvisorSettings s, List<Finding> out) {
    if (s.shareGroup().isEmpty()) {
      return;
    }
    ShareGroupSettings g = s.shareGroup().get();
    checkBounds(
        t,
        g,
        ShareGroupSettings.RECORD_LOCK_DURATION_MS,
        "group.share.min.record.lock.duration.ms",
        15_000,
        "group.share.max.record.lock.duration.ms",
        60_000,
        out);
    checkBounds(
        t,
        g,
        ShareGroupSettings.DELIVERY_COUNT_LIMIT,
        "group.share.min.delivery.count.limit",
        2,
        "group.share.max.delivery.count.limit",
        10,
        out);
    g.handlingTime().ifPresent(handling -> checkLock(t, g, handling, out));
    if (g.autoOffsetReset().equals("latest")) {
      out.add(
          new Finding(
              AdvisorRule.SHARE_STARTS_AT_LATEST,
              Severity.WARNING,
              t.name(),
              ShareGroupSettings.AUTO_OFFSET_RESET,
              "the share group starts reading a partition at its end the first time it reads it"
                  + " (share.auto.offset.reset=latest, Kafka's default): records produced before"
                  + " then, for example before the group's first member started, are never"
                  + " delivered to it",
              "set it before the group's first member starts: "
                  + CONFIGURE
                  + "share.auto.offset.reset=earliest (or Admin incrementalAlterConfigs on"
                  + " ConfigResource.Type.GROUP)"));
    }
    if (g.transactionalProducers() && !g.isolationLevel().equals("read_committed")) {
      out.add(
          new Finding(
              AdvisorRule.SHARE_READS_UNCOMMITTED,
              Severity.WARNING,
              t.name(),
              ShareGroupSettings.ISOLATION_LEVEL,
              "transactional producers write the topic but the share group reads with"
                  + " share.isolation.level=read_uncommitted (Kafka's default): its members get"
                  + " records of transactions that are still open and of aborted ones",
              CONFIGURE + "share.isolation.level=read_committed"));
    }
    if (g.deliveryCountLimit() <= LOW_DELIVERY_LIMIT && g.deadLetterTopic().isEmpty()) {
      out.add(
          new Finding(
              AdvisorRule.SHARE_DELIVERY_LIMIT_LOW,
              Severity.WARNING,
              t.name(),
              ShareGroupSettings.DELIVERY_COUNT_LIMIT,
              "share.delivery.count.limit="
                  + g.deliveryCountLimit()
                  + ": a record is archived after "
                  + g.deliveryCountLimit()
                  + " deliveries, and an expired lock (a slow poll, a member that crashed) counts"
                  + " as one; without a dead-letter topic an archived record is gone for this"
                  + " group",
              "raise it ("
                  + CONFIGURE
                  + "share.delivery.count.limit=5; the broker allows up to"
                  + " group.share.max.delivery.count.limit, 10 by default) or give the group a"
                  + " dead-letter topic ("
                  + ShareGroupSettings.DEAD_LETTER_TOPIC
                  + ", Kafka 4.4)"));
    }
  }

  private static void checkBounds(
      TopicFacts t,
      ShareGroupSettings g,
      String key,
      String minKey,
      long minDefault,
      String maxKey,
      long maxDefault,
      List<Finding> out) {
    String own = g.configs().get(key);
    if (own == null) {
      return;
    }
    long value = Long.parseLong(own.trim());
    long min = broker(g, minKey, minDefault);
    long max = broker(g, maxKey, maxDefault);
    if (value >= min && value <= max) {
      return;
    }
    boolean below = value < min;
    out.add(
        new Finding(
            AdvisorRule.SHARE_SETTING_OUTSIDE_BROKER_BOUNDS,
            Severity.CRITICAL,
            t.name(),
            key,
            String.format(
                "%s=%d is %s the broker's %s=%d: the broker refuses to set it"
                    + " (InvalidConfigurationException), so the group keeps its previous value",
                key, value, below ? "below" : "above", below ? minKey : maxKey, below ? min : max),
            String.format(
                "use a value from %d to %d, or change the broker's %s",
                min, max, below ? minKey : maxKey)));
  }

  private static void checkLock(
      TopicFacts t, ShareGroupSettings g, Duration handling, List<Finding> out) {
    long lockMs = g.recordLockDurationMs();
    double perRecordMs = handling.toNanos() / 1e6;
    double heldMs = perRecordMs * g.maxPollRecords();
    if (heldMs <= lockMs * LOCK_MARGIN_SHARE) {
      return;
    }
    boolean expires = heldMs >= lockMs;
    long fittingRecords = Math.max(1, (long) Math.floor(lockMs * LOCK_MARGIN_SHARE / perRecordMs));
    out.add(
        new Finding(
            AdvisorRule.SHARE_LOCK_SHORTER_THAN_HANDLING,
            expires ? Severity.CRITICAL : Severity.WARNING,
            t.name(),
            ShareGroupSettings.RECORD_LOCK_DURATION_MS,
            String.format(
                "a member locks up to %d records per poll and handles them one after another in"
                    + " about %,.0f ms (%d x %,.1f ms), %s the record lock of %,d ms: %s",
                g.maxPollRecords(),
                heldMs,
                g.maxPollRecords(),
                perRecordMs,
                expires ? "longer than" : "more than half of",
                lockMs,
                expires
                    ? "the last records of a poll are delivered again, to this or another member,"
                        + " while they are still being handled, and every expiry counts toward"
                        + " share.delivery.count.limit, so slow handling alone can archive records"
                    : "a slow downstream call or a GC pause expires the lock, and the record is"
                        + " delivered a second time"),
            String.format(
                "lower the members' max.poll.records to %d or fewer, raise"
                    + " share.record.lock.duration.ms (the broker allows up to"
                    + " group.share.max.record.lock.duration.ms, 60,000 ms by default), or renew"
                    + " the lock while handling (AcknowledgeType.RENEW, with the group's"
                    + " share.renew.acknowledge.enable)",
                fittingRecords)));
  }

  private static long broker(ShareGroupSettings g, String key, long fallback) {
    String value = g.brokerConfigs().get(key);
    return value == null ? fallback : Long.parseLong(value.trim());
  }
}
