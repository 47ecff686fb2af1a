package dev.kafkasdk.test.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings that let share groups (KIP-932) run on a small test cluster.
 *
 * <p>Kafka 4.4 enables share groups by default: a new cluster bootstraps with feature {@code
 * share.version=2}, and {@code group.coordinator.rebalance.protocols} (deprecated) no longer gates
 * them. What stops them on one broker is the share coordinator's state topic {@code
 * __share_group_state}: it defaults to replication factor 3 and {@code min.insync.replicas} 2, so
 * it cannot be created, the persister never finds a coordinator and the group's partitions are
 * never initialised (the share consumer silently receives nothing).
 */
final class ShareGroupBrokerConfig {

  /** Lowest share-group lock duration a test may set; Kafka's own floor for this setting is 1 s. */
  static final int MIN_RECORD_LOCK_DURATION_MS = 1_000;

  /** Share-group heartbeat interval of the test clusters; Kafka's default (and minimum) is 5 s. */
  static final int HEARTBEAT_INTERVAL_MS = 500;

  private ShareGroupBrokerConfig() {}

  /**
   * Returns the share-group broker settings for a cluster of the given size.
   *
   * @param brokers the number of brokers
   * @return a new mutable map of broker config keys to values
   */
  static Map<String, String> forBrokers(int brokers) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put(
        "share.coordinator.state.topic.replication.factor", Integer.toString(Math.min(3, brokers)));
    config.put("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, brokers)));
    // 50 partitions by default; few are created faster and are plenty for tests.
    config.put("share.coordinator.state.topic.num.partitions", "5");
    // The broker refuses a group's share.record.lock.duration.ms below this minimum (15 s by
    // default); tests of redelivery after an expired lock need a lock of a second or two.
    config.put(
        "group.share.min.record.lock.duration.ms", Integer.toString(MIN_RECORD_LOCK_DURATION_MS));
    // A member learns its assignment from a heartbeat response, and the assignment is computed
    // after the heartbeat that joined: at Kafka's 5 s interval every join and every member change
    // costs a test about 5 s of waiting.
    config.put("group.share.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
    config.put("group.share.min.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
    return config;
  }
}
