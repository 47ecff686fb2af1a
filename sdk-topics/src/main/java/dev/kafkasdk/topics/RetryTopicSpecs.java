package dev.kafkasdk.topics;

import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Declares the retry topics and the dead-letter topic of a main topic for a consumer's retry chain
 * ({@code FailureAction.retryTopics(RetryTopics.delays(...))} in {@code sdk-consumer}), named by
 * {@link RetryTopicNames}: {@code <topic>.retry-<delay>} per delay, then {@code <topic>.DLT}.
 *
 * <p>Each derived spec, from the main topic's:
 *
 * <ul>
 *   <li><b>partitions</b>: the same count, so a record keeps its partition number along the chain
 *       (the default partitioner hashes its key over the same count);
 *   <li><b>replication</b>: replication factor, {@code min.insync.replicas} and unclean leader
 *       election copied, so a retried or dead-lettered record is as safe as the original; {@code
 *       max.message.bytes} copied too (the SDK's headers add a few kilobytes at most);
 *   <li><b>{@link TopicSpec#keyed()}</b>: copied;
 *   <li><b>cleanup</b>: always {@code delete}, also for a compacted main topic: compaction would
 *       keep only the last retry of a key;
 *   <li><b>retention</b>: the longest of the main topic's retention (unlimited stays unlimited),
 *       {@link #MIN_RETENTION}, and {@value #RETENTION_DELAY_FACTOR} times the chain's longest
 *       delay. The margin covers a runner that is down, or behind, for days: a retry record that
 *       expired before it was read would be lost.
 * </ul>
 *
 * <pre>{@code
 * TopicSpec orders = TopicSpec.durable("orders").partitions(12).keyed(true).build();
 * List<TopicSpec> chain = RetryTopicSpecs.forTopic(orders,
 *     Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10));
 * chain.forEach(admin::apply); // orders.retry-1s, ..., orders.retry-10m, orders.DLT
 * }</pre>
 */
public final class RetryTopicSpecs {
  /** The shortest retention of a retry or dead-letter topic. */
  public static final Duration MIN_RETENTION = Duration.ofDays(7);

  /** A retry topic keeps records at least this many times the chain's longest delay. */
  public static final int RETENTION_DELAY_FACTOR = 4;

  private RetryTopicSpecs() {}

  /**
   * Returns the specs of the retry topics (one per delay, in order) followed by the dead-letter
   * topic's.
   *
   * @param main the main topic's spec
   * @param delays the chain's delays; at least one, each a positive whole number of milliseconds,
   *     strictly ascending
   * @return the specs, the dead-letter topic's last
   * @throws SdkConfigException naming {@code delays} if the delays break that rule
   * @throws NullPointerException if an argument is null
   */
  public static List<TopicSpec> forTopic(TopicSpec main, Duration... delays) {
    return forTopic(main, Arrays.asList(Objects.requireNonNull(delays, "delays")));
  }

  /**
   * Returns the specs of the retry topics followed by the dead-letter topic's; see {@link
   * #forTopic(TopicSpec, Duration...)}.
   *
   * @param main the main topic's spec
   * @param delays the chain's delays
   * @return the specs, the dead-letter topic's last
   * @throws SdkConfigException naming {@code delays} if the delays are invalid
   */
  public static List<TopicSpec> forTopic(TopicSpec main, List<Duration> delays) {
    Objects.requireNonNull(main, "main");
    RetryTopicNames.requireValidDelays("delays", delays);
    Duration longest = delays.get(delays.size() - 1);
    List<TopicSpec> specs = new ArrayList<>(delays.size() + 1);
    for (Duration delay : delays) {
      specs.add(derived(main, RetryTopicNames.retryTopic(main.name(), delay), longest));
    }
    specs.add(derived(main, RetryTopicNames.deadLetterTopic(main.name()), longest));
    return List.copyOf(specs);
  }

  private static TopicSpec derived(TopicSpec main, String name, Duration longestDelay) {
    TopicSpec.Builder builder =
        TopicSpec.builder(name).keyed(main.keyed()).cleanupPolicy(CleanupPolicy.DELETE);
    main.partitions().ifPresent(builder::partitions);
    main.replicationFactor().ifPresent(builder::replicationFactor);
    main.minInsyncReplicas().ifPresent(builder::minInsyncReplicas);
    main.uncleanLeaderElection().ifPresent(builder::uncleanLeaderElection);
    String maxMessageBytes = main.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    if (maxMessageBytes != null) {
      builder.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes);
    }
    OptionalLong mainRetention = main.retentionMs();
    if (mainRetention.isPresent() && mainRetention.getAsLong() < 0) {
      builder.retentionUnlimited();
    } else {
      Duration retention = MIN_RETENTION;
      Duration byDelay = longestDelay.multipliedBy(RETENTION_DELAY_FACTOR);
      if (byDelay.compareTo(retention) > 0) {
        retention = byDelay;
      }
      if (mainRetention.isPresent() && mainRetention.getAsLong() > retention.toMillis()) {
        retention = Duration.ofMillis(mainRetention.getAsLong());
      }
      builder.retention(retention);
    }
    return builder.build();
  }
}
