package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.core.SdkConfigException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What a share-group runner ({@link Strategy.ShareGroup}) cannot do, refused at build time, and the
 * share consumer's configuration. Kafka's share consumer refuses the settings a consumer group's
 * member has and a share group does not (offset reset, isolation and assignment are the group's
 * configuration there, set with the Admin client), so the runner refuses them with the fix instead
 * of failing when the consumer is created.
 */
final class ShareGroupChecks {
  /** {@code share.acknowledgement.mode}: the runner acknowledges each record itself. */
  static final String ACKNOWLEDGEMENT_MODE = "share.acknowledgement.mode";

  /** {@code share.acquire.mode}: {@code record_limit} makes {@code max.poll.records} strict. */
  static final String ACQUIRE_MODE = "share.acquire.mode";

  /**
   * The consumer-group settings a share consumer refuses (Kafka's {@code ShareConsumerConfig}),
   * with what to do instead.
   */
  private static final Map<String, String> CONSUMER_GROUP_ONLY =
      Map.ofEntries(
          Map.entry(
              ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
              "remove it: the runner acknowledges each record after its handler (share groups"
                  + " have no offsets to commit)"),
          Map.entry(
              ConsumerConfig.GROUP_PROTOCOL_CONFIG,
              "remove it: a share consumer always uses the share group protocol"),
          Map.entry(
              ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
              "remove it: the share group coordinator assigns partitions"),
          Map.entry(
              ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
              "remove it: the share group coordinator assigns partitions"),
          Map.entry(
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "remove it and set the group's share.auto.offset.reset with the Admin client"
                  + " (incrementalAlterConfigs on the GROUP resource)"),
          Map.entry(
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "remove it and set the group's share.isolation.level with the Admin client"),
          Map.entry(
              ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
              "remove it: share groups have no static membership"),
          Map.entry(
              ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
              "remove it and set the group's share.session.timeout.ms with the Admin client"),
          Map.entry(
              ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
              "remove it and set the group's share.heartbeat.interval.ms with the Admin client"),
          Map.entry(
              ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
              "remove it: share consumers take no interceptors"));

  /** The settings the consumer-group path adds and a share consumer refuses. */
  private static final List<String> RUNNER_DEFAULTS =
      List.of(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

  private ShareGroupChecks() {}

  /**
   * Refuses what a share-group runner cannot do, each with the setting and the fix.
   *
   * @throws SdkConfigException on the first one
   */
  static void require(RunnerDraft<?, ?> draft, Strategy.ShareGroup share) {
    String fix = "or use Strategy.multiWorker(...) with a consumer group";
    if (draft.pattern != null) {
      throw new SdkConfigException(
          "topicPattern",
          "a share consumer subscribes to topic names only",
          "subscribe with topics(...), " + fix);
    }
    if (draft.exactlyOnce != null) {
      throw new SdkConfigException(
          "exactlyOnce",
          "share groups acknowledge records one by one and have no offsets a transaction could"
              + " commit",
          "use handler(...), " + fix);
    }
    if (draft.batchHandler != null) {
      throw new SdkConfigException(
          "batchHandler",
          "the share-group runner acknowledges, retries and dead-letters each record on its own",
          "use handler(...), " + fix);
    }
    if (draft.failureAction.kind() == FailureAction.Kind.RETRY_TOPICS) {
      throw new SdkConfigException(
          "onFailure",
          "retry topics (and their keepKeyOrder()) are not used with share groups: Kafka itself"
              + " delivers a released record again, counting deliveries",
          "use retry(RetryPolicy...) for redeliveries and FailureAction.deadLetter() after them");
    }
    for (Map.Entry<String, String> refused : CONSUMER_GROUP_ONLY.entrySet()) {
      if (draft.properties.containsKey(refused.getKey())) {
        throw new SdkConfigException(
            refused.getKey(), "not a setting of a share consumer", refused.getValue());
      }
    }
    Object mode = draft.properties.get(ACKNOWLEDGEMENT_MODE);
    if (mode != null && !String.valueOf(mode).trim().toLowerCase(Locale.ROOT).equals("explicit")) {
      throw new SdkConfigException(
          ACKNOWLEDGEMENT_MODE,
          "the runner acknowledges each record after its handler, which needs explicit mode",
          "remove the property; the runner sets explicit");
    }
    RetryPolicy retry = draft.retry;
    if (retry != null && retry.maxAttempts() > share.deliveryCountLimit()) {
      throw new SdkConfigException(
          "retry",
          "maxAttempts "
              + retry.maxAttempts()
              + " is above the share group's delivery count limit "
              + share.deliveryCountLimit()
              + ": each attempt is a delivery, and Kafka archives a record after that many",
          "lower maxAttempts, or raise the group's share.delivery.count.limit and pass it to"
              + " Strategy.shareGroup(consumers, workers, deliveryCountLimit)");
    }
  }

  /**
   * The configuration without the share consumer's own settings, for the consumer's checks: Kafka's
   * {@code ConsumerConfig} refuses them under the classic protocol; {@link #require} checked them.
   */
  static Map<String, Object> withoutShareSettings(Map<String, Object> config) {
    Map<String, Object> check = new java.util.HashMap<>(config);
    check.remove(ACKNOWLEDGEMENT_MODE);
    check.remove(ACQUIRE_MODE);
    return check;
  }

  /**
   * The share consumer's configuration: the runner's consumer configuration without what a share
   * consumer refuses, in explicit acknowledgement mode, fetching at most {@code max.poll.records}.
   */
  static Map<String, Object> shareConsumerConfig(Map<String, Object> config) {
    Map<String, Object> share = new java.util.HashMap<>(config);
    RUNNER_DEFAULTS.forEach(share::remove);
    share.put(ACKNOWLEDGEMENT_MODE, "explicit");
    share.putIfAbsent(ACQUIRE_MODE, "record_limit");
    return share;
  }
}
