package dev.kafkasdk.topics;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import dev.kafkasdk.topics.internal.AdvisorCheck;
import dev.kafkasdk.topics.internal.AdvisorSettings;
import dev.kafkasdk.topics.internal.CapacityChecks;
import dev.kafkasdk.topics.internal.CleanupChecks;
import dev.kafkasdk.topics.internal.LiveHealthChecks;
import dev.kafkasdk.topics.internal.ReplicationChecks;
import dev.kafkasdk.topics.internal.ShareGroupChecks;
import dev.kafkasdk.topics.internal.TopicFacts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reviews a topic against the operational rules of topic design: replication and {@code
 * min.insync.replicas} versus broker count and producer acks, unclean leader election, cleanup
 * policy versus keys, segment size and dirty ratio, retention, partition count versus brokers'
 * open-file limits and versus consumers, the settings of a share group that reads the topic (see
 * {@link Builder#shareGroup}), and (for a live topic) offline or under-replicated partitions. Every
 * rule is listed in {@link AdvisorRule}.
 *
 * <pre>{@code
 * TopicAdvisor advisor = TopicAdvisor.builder().consumers(6).build();
 * List<Finding> findings = advisor.review(spec, ClusterFacts.ofBrokers(3));
 * findings.stream().filter(f -> f.severity() == Severity.CRITICAL).forEach(System.out::println);
 * }</pre>
 *
 * <p>A spec reviewed alone is judged on what it declares, with Kafka's documented defaults for
 * unset cleanup, retention and segment settings (a broker can override those defaults; review the
 * live topic to judge the real values). Rules that need the partition count, replication factor,
 * {@code min.insync.replicas}, broker count or consumer count are skipped when those are unknown.
 * Instances are immutable and thread-safe; reviewing has no side effects except metrics.
 */
public final class TopicAdvisor {
  private static final List<AdvisorCheck> CHECKS =
      List.of(
          new LiveHealthChecks(),
          new ReplicationChecks(),
          new CleanupChecks(),
          new CapacityChecks(),
          new ShareGroupChecks());

  /** Advice that does not apply to single-broker development clusters. */
  private static final Set<AdvisorRule> DEVELOPMENT_SKIPS =
      Set.of(AdvisorRule.REPLICATION_BELOW_THREE, AdvisorRule.ACKS_IGNORE_MIN_ISR);

  private final boolean production;
  private final String acks;
  private final OptionalInt consumers;
  private final MeterRegistry registry;
  private final Optional<ShareGroupSettings> shareGroup;

  private TopicAdvisor(Builder b) {
    this.shareGroup = Optional.ofNullable(b.shareGroup);
    this.production = b.environment == Environment.PRODUCTION;
    this.acks = b.acks;
    this.consumers = b.consumers == null ? OptionalInt.empty() : OptionalInt.of(b.consumers);
    this.registry = b.registry;
  }

  /** Where the topic runs; production gets stricter replication advice. */
  public enum Environment {
    /** Replication factor below 3 and acks below all are reported. */
    PRODUCTION,
    /** Single-broker development and test clusters: replication and acks advice is skipped. */
    DEVELOPMENT
  }

  /**
   * Starts configuring an advisor.
   *
   * @return a builder for a production advisor assuming producers use {@code acks=all}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reviews a spec alone, before the topic exists and without cluster facts.
   *
   * @param spec the spec
   * @return the findings, most severe first
   * @throws NullPointerException if spec is null
   */
  public List<Finding> review(TopicSpec spec) {
    return run(TopicFacts.of(Objects.requireNonNull(spec, "spec"), null), null);
  }

  /**
   * Reviews a spec against a cluster: replication versus broker count, open files, partitions per
   * broker.
   *
   * @param spec the spec
   * @param cluster the cluster facts, from {@link TopicAdmin#clusterFacts()} or {@link
   *     ClusterFacts#ofBrokers(int)}
   * @return the findings, most severe first
   * @throws NullPointerException if an argument is null
   */
  public List<Finding> review(TopicSpec spec, ClusterFacts cluster) {
    return run(
        TopicFacts.of(Objects.requireNonNull(spec, "spec"), null),
        Objects.requireNonNull(cluster, "cluster"));
  }

  /**
   * Reviews an existing topic: its real configuration and partition health, with the spec supplying
   * what Kafka does not store (whether the topic is keyed) and which settings were declared.
   *
   * @param spec the topic's spec
   * @param live the topic as described by {@link TopicAdmin#describe(String)}
   * @param cluster the cluster facts
   * @return the findings, most severe first
   * @throws IllegalArgumentException if spec and live topic have different names
   * @throws NullPointerException if an argument is null
   */
  public List<Finding> review(TopicSpec spec, LiveTopic live, ClusterFacts cluster) {
    return run(
        TopicFacts.of(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(live, "live")),
        Objects.requireNonNull(cluster, "cluster"));
  }

  /**
   * Reviews an existing topic without a spec; rules about keys are skipped because Kafka does not
   * know whether producers write keys.
   *
   * @param live the topic as described by {@link TopicAdmin#describe(String)}
   * @param cluster the cluster facts
   * @return the findings, most severe first
   * @throws NullPointerException if an argument is null
   */
  public List<Finding> review(LiveTopic live, ClusterFacts cluster) {
    return run(
        TopicFacts.of(null, Objects.requireNonNull(live, "live")),
        Objects.requireNonNull(cluster, "cluster"));
  }

  private List<Finding> run(TopicFacts topic, ClusterFacts cluster) {
    AdvisorSettings settings =
        new AdvisorSettings(
            production,
            acks.equals("all") || acks.equals("-1"),
            acks,
            consumers,
            Optional.ofNullable(cluster),
            shareGroup);
    List<Finding> findings = new ArrayList<>();
    for (AdvisorCheck check : CHECKS) {
      check.check(topic, settings, findings);
    }
    if (!production) {
      findings.removeIf(f -> DEVELOPMENT_SKIPS.contains(f.rule()));
    }
    findings.sort(
        Comparator.comparing(Finding::severity).reversed().thenComparing(f -> f.rule().ordinal()));
    for (Finding f : findings) {
      registry
          .counter(
              TopicMeters.ADVISOR_FINDINGS,
              TopicMeters.TAG_RULE,
              f.rule().id(),
              TopicMeters.TAG_SEVERITY,
              f.severity().name().toLowerCase(Locale.ROOT))
          .increment();
    }
    return List.copyOf(findings);
  }

  /** Configures a {@link TopicAdvisor}. Not thread-safe. */
  public static final class Builder {
    private Environment environment = Environment.PRODUCTION;
    private String acks = "all";
    private Integer consumers;
    private MeterRegistry registry = Metrics.globalRegistry;
    private ShareGroupSettings shareGroup;

    private Builder() {}

    /**
     * Sets the environment.
     *
     * @param environment default {@link Environment#PRODUCTION}
     * @return this builder
     * @throws NullPointerException if environment is null
     */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Sets the {@code acks} your producers use for this topic.
     *
     * @param acks {@code all}, {@code -1}, {@code 1} or {@code 0}; default {@code all}
     * @return this builder
     * @throws NullPointerException if acks is null
     */
    public Builder producerAcks(String acks) {
      this.acks = Objects.requireNonNull(acks, "acks").trim().toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the largest number of consumers one consumer group will run on the topic, enabling the
     * partition-versus-consumer rules.
     *
     * @param consumers at least 1
     * @return this builder
     */
    public Builder consumers(int consumers) {
      this.consumers = consumers;
      return this;
    }

    /**
     * Declares the share group (KIP-932) that reads the topic, enabling the {@code share-*} rules:
     * its settings within the broker's bounds, lock duration versus handling time, where it starts
     * reading, isolation level with transactional producers, delivery count limit. The {@link
     * #consumers(int) consumer} rules stay about consumer groups: a share group's members are not
     * limited by the partition count.
     *
     * <pre>{@code
     * TopicAdvisor advisor = TopicAdvisor.builder()
     *     .shareGroup(ShareGroupSettings.builder()
     *         .config("share.auto.offset.reset", "earliest")
     *         .handlingTime(Duration.ofMillis(40))
     *         .build())
     *     .build();
     * }</pre>
     *
     * @param settings the group's settings
     * @return this builder
     * @throws NullPointerException if settings is null
     */
    public Builder shareGroup(ShareGroupSettings settings) {
      this.shareGroup = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Counts findings in {@link TopicMeters#ADVISOR_FINDINGS}.
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
     * Creates the advisor.
     *
     * @return the advisor
     * @throws SdkConfigException if acks is not one of all, -1, 1, 0 or consumers is below 1
     */
    public TopicAdvisor build() {
      if (!Set.of("all", "-1", "1", "0").contains(acks)) {
        throw new SdkConfigException(
            "acks", "'" + acks + "' is not a producer acks value", "use all, -1, 1 or 0");
      }
      if (consumers != null) {
        ConfigChecks.atLeastOne(
            "consumers",
            consumers,
            "give the largest consumer count of one group, or leave it unset");
      }
      return new TopicAdvisor(this);
    }
  }
}
