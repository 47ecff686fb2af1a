package dev.kafkasdk.topics;

import dev.kafkasdk.core.PartitionReadiness;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.topics.internal.AdminCalls;
import dev.kafkasdk.topics.internal.LiveTopics;
import dev.kafkasdk.topics.internal.MetadataWait;
import dev.kafkasdk.topics.internal.SpecComparison;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TopicSpec}s to a cluster through the Kafka Admin client: creates missing topics,
 * verifies existing ones setting by setting, aligns their configuration, and adds partitions
 * without ever removing any or silently remapping the keys of a keyed topic.
 *
 * <pre>{@code
 * try (TopicAdmin topics = TopicAdmin.builder().clientConfig(Map.of("bootstrap.servers", servers))
 *     .build()) {
 *   TopicReport report = topics.apply(TopicSpec.durable("orders").partitions(12).build());
 *   report.differences().forEach(d -> log.warn("orders differs: {}", d));
 * }
 * }</pre>
 *
 * <p>Every call blocks until the cluster answers or the builder's timeout passes. Instances are
 * thread-safe.
 */
public final class TopicAdmin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final Duration SERVE_CHECK_TIMEOUT = Duration.ofSeconds(5);

  private final Admin admin;
  private final boolean ownsAdmin;
  private final Duration timeout;
  private final MeterRegistry registry;
  private final KafkaClientMetrics clientMetrics;

  private TopicAdmin(
      Admin admin,
      boolean ownsAdmin,
      Duration timeout,
      MeterRegistry registry,
      KafkaClientMetrics clientMetrics) {
    this.admin = admin;
    this.ownsAdmin = ownsAdmin;
    this.timeout = timeout;
    this.registry = registry;
    this.clientMetrics = clientMetrics;
  }

  /**
   * Starts configuring a {@link TopicAdmin}.
   *
   * @return a builder; give it a client configuration or an existing Admin client
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the topic if it does not exist (and waits until every partition has a leader that
   * serves it, so records sent right after are not lost to KAFKA-15591); otherwise compares it with
   * the spec. Never changes an existing topic.
   *
   * @param spec the declaration
   * @return {@link TopicReport.Outcome#CREATED}, {@link TopicReport.Outcome#MATCHES} or {@link
   *     TopicReport.Outcome#DIFFERS} with each differing setting
   * @throws TopicAdminException if the broker refuses the topic (for example a replication factor
   *     above the broker count) or does not answer in time
   * @throws NullPointerException if spec is null
   */
  public TopicReport apply(TopicSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Optional<LiveTopic> existing = describe(spec.name());
    if (existing.isEmpty()) {
      try {
        AdminCalls.await(
            admin.createTopics(List.of(spec.toNewTopic())).all(),
            timeout,
            "create topic " + spec.name());
        LiveTopic created = awaitReady(spec.name(), spec.partitions().orElse(1));
        log.info(
            "created topic {} with {} partitions, replication factor {}, configs {}",
            spec.name(),
            created.partitionCount(),
            created.replicationFactor(),
            spec.configs());
        return count(
            new TopicReport(
                spec.name(), TopicReport.Outcome.CREATED, List.of(), Optional.of(created)));
      } catch (TopicAdminException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        // Created concurrently by someone else: fall through and verify what they created.
        existing = Optional.of(awaitReady(spec.name(), 1));
      }
    }
    return count(compare(spec, existing.get()));
  }

  /**
   * Compares an existing topic with the spec without changing anything.
   *
   * @param spec the declaration
   * @return {@link TopicReport.Outcome#MATCHES}, {@link TopicReport.Outcome#DIFFERS} or {@link
   *     TopicReport.Outcome#MISSING}
   * @throws TopicAdminException if the cluster does not answer in time
   * @throws NullPointerException if spec is null
   */
  public TopicReport verify(TopicSpec spec) {
    return count(check(Objects.requireNonNull(spec, "spec")));
  }

  private TopicReport check(TopicSpec spec) {
    Optional<LiveTopic> live = describe(spec.name());
    if (live.isEmpty()) {
      return new TopicReport(spec.name(), TopicReport.Outcome.MISSING, List.of(), Optional.empty());
    }
    return compare(spec, live.get());
  }

  /**
   * Sets every declared topic configuration that differs on the existing topic (an incremental
   * alter: undeclared settings are left alone). Partition count and replication factor are not
   * touched; see {@link #increasePartitions(PartitionIncrease)}.
   *
   * @param spec the declaration
   * @return the report once the broker reports the new values; it still lists partition or
   *     replication differences
   * @throws TopicAdminException if the topic does not exist, the broker refuses a value, or the new
   *     values are not visible within the timeout
   * @throws NullPointerException if spec is null
   */
  public TopicReport alignConfigs(TopicSpec spec) {
    Objects.requireNonNull(spec, "spec");
    LiveTopic live = describe(spec.name()).orElseThrow(() -> missing(spec.name()));
    List<AlterConfigOp> ops = new ArrayList<>();
    for (TopicDifference d : SpecComparison.compare(spec, live)) {
      if (spec.configs().containsKey(d.setting())) {
        ops.add(
            new AlterConfigOp(
                new ConfigEntry(d.setting(), d.expected()), AlterConfigOp.OpType.SET));
      }
    }
    if (!ops.isEmpty()) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
      AdminCalls.await(
          admin.incrementalAlterConfigs(Map.of(resource, ops)).all(),
          timeout,
          "alter configs of topic " + spec.name());
      log.info("aligned {} configs of topic {} with its spec", ops.size(), spec.name());
      return count(awaitConfigsApplied(spec));
    }
    return verify(spec);
  }

  /**
   * Describes a topic: partitions, replicas, in-sync replicas and effective configuration.
   *
   * @param topic the topic name
   * @return the snapshot, or empty if the topic does not exist
   * @throws TopicAdminException if the cluster does not answer in time
   * @throws NullPointerException if topic is null
   */
  public Optional<LiveTopic> describe(String topic) {
    Objects.requireNonNull(topic, "topic");
    try {
      TopicDescription description =
          AdminCalls.await(
              admin.describeTopics(List.of(topic)).topicNameValues().get(topic),
              timeout,
              "describe topic " + topic);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          AdminCalls.await(
              admin.describeConfigs(List.of(resource)).values().get(resource),
              timeout,
              "describe configs of topic " + topic);
      return Optional.of(LiveTopics.from(description, config));
    } catch (TopicAdminException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Reads a share group's settings from the cluster for {@link TopicAdvisor.Builder#shareGroup}:
   * the group-level configs set on the group, and the broker's {@code group.share.*} settings
   * (defaults and bounds) as one broker reports them. Add what the cluster cannot know (handling
   * time, {@code max.poll.records}, transactional producers) and build.
   *
   * <pre>{@code
   * ShareGroupSettings group = topics.shareGroupSettings("orders-workers")
   *     .handlingTime(Duration.ofMillis(40))
   *     .build();
   * advisor = TopicAdvisor.builder().shareGroup(group).build();
   * }</pre>
   *
   * @param group the share group id; a group that does not exist yet has no group configs
   * @return a builder holding what the cluster reports
   * @throws TopicAdminException if the cluster does not answer in time
   * @throws NullPointerException if group is null
   */
  public ShareGroupSettings.Builder shareGroupSettings(String group) {
    Objects.requireNonNull(group, "group");
    ShareGroupSettings.Builder settings = ShareGroupSettings.builder();
    ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
    Config groupConfig =
        AdminCalls.await(
            admin.describeConfigs(List.of(groupResource)).values().get(groupResource),
            timeout,
            "describe configs of group " + group);
    for (ConfigEntry entry : groupConfig.entries()) {
      // Only what is set on the group: the rest are broker defaults, read below as such.
      if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG
          && entry.value() != null) {
        settings.config(entry.name(), entry.value());
      }
    }
    Collection<Node> nodes =
        AdminCalls.await(admin.describeCluster().nodes(), timeout, "describe cluster");
    if (!nodes.isEmpty()) {
      ConfigResource broker =
          new ConfigResource(
              ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
      Config brokerConfig =
          AdminCalls.await(
              admin.describeConfigs(List.of(broker)).values().get(broker),
              timeout,
              "describe configs of broker " + broker.name());
      for (ConfigEntry entry : brokerConfig.entries()) {
        if (entry.name().startsWith("group.share.") && entry.value() != null) {
          settings.brokerConfig(entry.name(), entry.value());
        }
      }
    }
    return settings;
  }

  /**
   * Collects the facts {@link TopicAdvisor} uses: the broker count and the partition replicas each
   * broker hosts, over all topics including internal ones. On large clusters this describes every
   * topic; call it once per review session. Add the open-file limit with {@link
   * ClusterFacts#withOpenFileLimit(long)}.
   *
   * @return the facts
   * @throws TopicAdminException if the cluster does not answer in time
   */
  public ClusterFacts clusterFacts() {
    Collection<Node> nodes =
        AdminCalls.await(admin.describeCluster().nodes(), timeout, "describe cluster");
    Set<String> names =
        AdminCalls.await(
            admin.listTopics(new ListTopicsOptions().listInternal(true)).names(),
            timeout,
            "list topics");
    Map<Integer, Integer> replicas = new TreeMap<>();
    for (Node node : nodes) {
      replicas.put(node.id(), 0);
    }
    if (!names.isEmpty()) {
      Map<String, TopicDescription> all =
          AdminCalls.await(
              admin.describeTopics(names).allTopicNames(), timeout, "describe all topics");
      for (TopicDescription d : all.values()) {
        for (TopicPartitionInfo p : d.partitions()) {
          for (Node r : p.replicas()) {
            replicas.merge(r.id(), 1, Integer::sum);
          }
        }
      }
    }
    return ClusterFacts.ofBrokers(Math.max(1, nodes.size())).withReplicasPerBroker(replicas);
  }

  /**
   * Raises a topic's partition count, refusing anything that would silently break it:
   *
   * <ul>
   *   <li>a target below the current count (Kafka cannot remove partitions) is refused;
   *   <li>a target equal to the current count changes nothing;
   *   <li>on a keyed topic, without {@link PartitionIncrease#acknowledging KeyRemapAcknowledgement}
   *       the call is refused, reporting how many sample keys would move.
   * </ul>
   *
   * <p>Returns once every new partition has a leader. Running producers notice the new partitions
   * at their next metadata refresh ({@code metadata.max.age.ms}, five minutes by default).
   *
   * @param request the topic, target count, sample keys and acknowledgement
   * @return the counts before and after, and the key movement
   * @throws TopicChangeRefusedException if refused as described above; nothing changed
   * @throws IllegalArgumentException if the request has no target count
   * @throws TopicAdminException if the topic does not exist or the broker refuses the change
   * @throws NullPointerException if request is null
   */
  public PartitionIncreaseResult increasePartitions(PartitionIncrease request) {
    Objects.requireNonNull(request, "request");
    String topic = request.topic();
    int target =
        request
            .target()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no target partition count for "
                            + topic
                            + ": declare partitions in the spec or call to(n)"));
    LiveTopic live = describe(topic).orElseThrow(() -> missing(topic));
    int current = live.partitionCount();
    if (target < current) {
      countIncrease("refused");
      throw new TopicChangeRefusedException(
          topic,
          TopicChangeRefusedException.Reason.PARTITION_DECREASE,
          null,
          "topic "
              + topic
              + " has "
              + current
              + " partitions and Kafka cannot reduce them to "
              + target
              + ". Fix: keep "
              + current
              + " (update the spec), or create a new topic with "
              + target
              + " partitions and migrate");
    }
    KeyMovement movement = KeyMovement.estimate(current, target, request.sampleKeys());
    if (target == current) {
      countIncrease("unchanged");
      return new PartitionIncreaseResult(topic, current, current, movement);
    }
    if (request.keyed() && request.acknowledgement().isEmpty()) {
      countIncrease("refused");
      throw new TopicChangeRefusedException(
          topic,
          TopicChangeRefusedException.Reason.KEYED_TOPIC_NOT_ACKNOWLEDGED,
          movement,
          "topic "
              + topic
              + " is keyed; adding partitions changes the partition of most keys ("
              + movement.describe()
              + "), so records of one key written before and after the change can be consumed"
              + " out of order. Fix: drain consumers and pause producers (or accept the reorder)"
              + " and pass acknowledging(KeyRemapAcknowledgement.because(...)), or create a new"
              + " topic with more partitions and migrate");
    }
    AdminCalls.await(
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(target))).all(),
        timeout,
        "increase partitions of " + topic + " to " + target);
    awaitReady(topic, target);
    countIncrease("increased");
    if (request.keyed()) {
      log.warn(
          "increased partitions of keyed topic {} from {} to {}: {}; acknowledged: {}",
          topic,
          current,
          target,
          movement.describe(),
          request.acknowledgement().map(KeyRemapAcknowledgement::reason).orElse(""));
    } else {
      log.info("increased partitions of topic {} from {} to {}", topic, current, target);
    }
    return new PartitionIncreaseResult(topic, current, target, movement);
  }

  /** Closes the Admin client if this instance created it, and unbinds its metrics. Idempotent. */
  @Override
  public void close() {
    if (clientMetrics != null) {
      clientMetrics.close();
    }
    if (ownsAdmin) {
      admin.close(timeout);
    }
  }

  private TopicReport compare(TopicSpec spec, LiveTopic live) {
    List<TopicDifference> differences = SpecComparison.compare(spec, live);
    if (differences.isEmpty()) {
      return new TopicReport(
          spec.name(), TopicReport.Outcome.MATCHES, List.of(), Optional.of(live));
    }
    log.warn("topic {} differs from its spec: {}", spec.name(), differences);
    return new TopicReport(
        spec.name(), TopicReport.Outcome.DIFFERS, differences, Optional.of(live));
  }

  /**
   * Waits until no declared config differs: brokers apply a committed config change from the
   * metadata log asynchronously, so the first describe after the alter may still show old values.
   */
  private TopicReport awaitConfigsApplied(TopicSpec spec) {
    return new MetadataWait(timeout)
        .until(
            () -> check(spec),
            report ->
                report.differences().stream()
                    .noneMatch(d -> spec.configs().containsKey(d.setting())),
            report ->
                new TopicAdminException(
                    "configs of topic "
                        + spec.name()
                        + " still differ after "
                        + timeout
                        + ": "
                        + report.differences(),
                    null),
            "topic " + spec.name());
  }

  /**
   * Whether every leader already serves its partition: a leader named in the metadata may not take
   * writes for a moment yet, and an idempotent producer sending then can lose a batch
   * (KAFKA-15591).
   */
  private boolean leadersServe(String topic, int partitions) {
    try {
      Duration check = timeout.compareTo(SERVE_CHECK_TIMEOUT) < 0 ? timeout : SERVE_CHECK_TIMEOUT;
      return PartitionReadiness.leadersServe(admin, topic, partitions, check);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicAdminException("interrupted waiting for the leaders of " + topic, e);
    }
  }

  /**
   * Waits until the topic has at least {@code partitions} partitions, each with a leader that
   * serves it.
   */
  private LiveTopic awaitReady(String topic, int partitions) {
    return new MetadataWait(timeout)
        .until(
            () -> describe(topic),
            live ->
                live.isPresent()
                    && live.get().partitionCount() >= partitions
                    && live.get().partitions().stream().allMatch(p -> p.leader().isPresent())
                    && leadersServe(topic, live.get().partitionCount()),
            live ->
                new TopicAdminException(
                    "topic "
                        + topic
                        + " did not get "
                        + partitions
                        + " partitions with serving leaders within "
                        + timeout,
                    null),
            "topic " + topic)
        .orElseThrow();
  }

  private TopicReport count(TopicReport report) {
    registry
        .counter(
            TopicMeters.APPLY,
            TopicMeters.TAG_OUTCOME,
            report.outcome().name().toLowerCase(Locale.ROOT))
        .increment();
    return report;
  }

  private void countIncrease(String outcome) {
    registry.counter(TopicMeters.PARTITION_INCREASE, TopicMeters.TAG_OUTCOME, outcome).increment();
  }

  private static TopicAdminException missing(String topic) {
    return new TopicAdminException(
        "topic " + topic + " does not exist; create it with TopicAdmin.apply(spec)",
        new UnknownTopicOrPartitionException(topic));
  }

  /**
   * Configures a {@link TopicAdmin}. Give exactly one of {@link #clientConfig(Map)} (the {@link
   * TopicAdmin} then owns and closes its Admin client) and {@link #admin(Admin)} (yours to close).
   * Not thread-safe.
   */
  public static final class Builder {
    private Map<String, Object> clientConfig;
    private Admin admin;
    private Duration timeout = Duration.ofSeconds(60);
    private MeterRegistry registry = Metrics.globalRegistry;

    private Builder() {}

    /**
     * Sets the Admin client configuration; {@code bootstrap.servers} is required.
     *
     * @param config Admin client properties, copied
     * @return this builder
     * @throws NullPointerException if config is null
     */
    public Builder clientConfig(Map<String, ?> config) {
      this.clientConfig = new HashMap<>(Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Uses an Admin client you manage; {@link TopicAdmin#close()} leaves it open.
     *
     * @param admin the client
     * @return this builder
     * @throws NullPointerException if admin is null
     */
    public Builder admin(Admin admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /**
     * Sets how long each operation may take, waits for new partitions' leaders included.
     *
     * @param timeout positive; default 60 seconds
     * @return this builder
     * @throws NullPointerException if timeout is null
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Records {@link TopicMeters} and the Admin client's own metrics in a registry.
     *
     * @param registry the registry; default {@code Metrics.globalRegistry}, which discards
     *     everything until the application adds a registry to it
     * @return this builder
     * @throws NullPointerException if registry is null
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Validates the settings, then creates the Admin client (if configured by properties).
     *
     * @return the topic admin; close it
     * @throws SdkConfigException if neither or both of a client configuration and an Admin client
     *     were given, {@code bootstrap.servers} is missing, or the timeout is not positive
     */
    public TopicAdmin build() {
      if ((clientConfig == null) == (admin == null)) {
        throw new SdkConfigException(
            "clientConfig/admin",
            clientConfig == null ? "neither was given" : "both were given",
            "call exactly one of clientConfig(map) and admin(admin)");
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new SdkConfigException(
            "timeout", "must be positive, was " + timeout, "use e.g. Duration.ofSeconds(60)");
      }
      if (clientConfig != null) {
        Object servers = clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
          throw new SdkConfigException(
              CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
              "is missing",
              "add bootstrap.servers, e.g. kafka-1:9092,kafka-2:9092");
        }
      }
      Admin client = admin;
      boolean owns = false;
      if (client == null) {
        Map<String, Object> config = new LinkedHashMap<>(clientConfig);
        client = AdminClient.create(config);
        owns = true;
      }
      KafkaClientMetrics metrics = null;
      if (client instanceof AdminClient adminClient) {
        metrics = new KafkaClientMetrics(adminClient);
        metrics.bindTo(registry);
      }
      return new TopicAdmin(client, owns, timeout, registry, metrics);
    }
  }
}
