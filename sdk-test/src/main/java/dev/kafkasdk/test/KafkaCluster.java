package dev.kafkasdk.test;

import dev.kafkasdk.test.internal.ClusterFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A real Kafka cluster for tests: an in-JVM KRaft cluster by default, a Testcontainers container or
 * an external cluster when asked for.
 *
 * <p>Every backend speaks the real Kafka protocol; nothing here is a mock. Instances are
 * thread-safe. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.builder().brokers(3).start()) {
 *   kafka.createTopic("orders", 6, 3, Map.of("min.insync.replicas", "2"));
 *   // point clients at kafka.bootstrapServers()
 *   kafka.stopBroker(1);
 *   kafka.startBroker(1);
 * }
 * }</pre>
 *
 * <p>In JUnit 5 tests prefer {@link KafkaTest}, which shares one cluster per JVM.
 */
public interface KafkaCluster extends AutoCloseable {

  /** Environment variable that, when set, makes {@link Backend#DEFAULT} use an external cluster. */
  String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

  /** System property with the same meaning as {@link #BOOTSTRAP_ENV}; it takes precedence. */
  String BOOTSTRAP_PROPERTY = "kafkasdk.bootstrap.servers";

  /**
   * Returns the bootstrap servers for clients, for example {@code localhost:40123}.
   *
   * @return a comma-separated host:port list, never null
   */
  String bootstrapServers();

  /**
   * Returns the backend that actually runs this cluster (never {@link Backend#DEFAULT}).
   *
   * @return the resolved backend
   */
  Backend backend();

  /**
   * Returns the ids of all brokers, running or stopped.
   *
   * @return an unmodifiable, sorted set of broker ids
   */
  Set<Integer> brokerIds();

  /**
   * Returns the number of brokers in the cluster, running or stopped.
   *
   * @return the broker count
   */
  default int brokerCount() {
    return brokerIds().size();
  }

  /**
   * Creates a topic and waits until every partition has a leader that serves it: records sent as
   * soon as this returns are not caught by the window in which a broker names itself leader before
   * it can take writes (see KAFKA-15591; in that window an idempotent producer could lose the first
   * batch of a partition after {@code delivery.timeout.ms}).
   *
   * @param name topic name
   * @param partitions number of partitions, at least 1
   * @param replicationFactor replicas per partition, at most {@link #brokerCount()}
   * @param configs topic-level configuration such as {@code min.insync.replicas}
   * @throws IllegalArgumentException if the counts are out of range
   * @throws IllegalStateException if the broker refuses the topic or does not answer in time
   */
  void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs);

  /**
   * Creates a topic with default topic configuration; see {@link #createTopic(String, int, int,
   * Map)}.
   *
   * @param name topic name
   * @param partitions number of partitions
   * @param replicationFactor replicas per partition
   */
  default void createTopic(String name, int partitions, int replicationFactor) {
    createTopic(name, partitions, replicationFactor, Map.of());
  }

  /**
   * Stops one broker (a clean, controlled shutdown) and waits until it has stopped. Its log
   * directories and address are kept, so {@link #startBroker(int)} brings it back as the same
   * broker.
   *
   * @param brokerId id from {@link #brokerIds()}
   * @throws UnsupportedOperationException if the backend cannot control brokers (external,
   *     Testcontainers)
   * @throws IllegalArgumentException if there is no such broker
   */
  void stopBroker(int brokerId);

  /**
   * Starts a broker stopped by {@link #stopBroker(int)} on its old address and waits until the
   * cluster sees it again. Starting a running broker does nothing.
   *
   * @param brokerId id from {@link #brokerIds()}
   * @throws UnsupportedOperationException if the backend cannot control brokers
   * @throws IllegalArgumentException if there is no such broker
   * @throws IllegalStateException if the broker does not rejoin within the startup timeout
   */
  void startBroker(int brokerId);

  /**
   * Tells whether {@link #stopBroker(int)} and {@link #startBroker(int)} are supported.
   *
   * @return true for the embedded backend
   */
  boolean supportsBrokerControl();

  /**
   * Returns the minimal client configuration for this cluster: {@code bootstrap.servers}.
   *
   * @return a new mutable map that the caller may extend
   */
  default Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers());
    return config;
  }

  /**
   * Shuts the cluster down and deletes its data (embedded and Testcontainers backends). An external
   * cluster is left running. Calling it again does nothing; failures during shutdown are logged,
   * not thrown.
   */
  @Override
  void close();

  /**
   * Starts describing a cluster.
   *
   * @return a builder with one combined-mode broker on the {@link Backend#DEFAULT} backend
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Describes the cluster to start. Not thread-safe; {@link #start()} may be called more than once
   * to start independent clusters with the same description.
   */
  final class Builder {
    private int brokers = 1;
    private boolean combined = true;
    private int controllers = 1;
    private Backend backend = Backend.DEFAULT;
    private int startupAttempts = 3;
    private Duration startupTimeout = Duration.ofMinutes(2);
    private final Map<String, String> brokerConfig = new LinkedHashMap<>();

    Builder() {}

    /**
     * Sets the number of brokers.
     *
     * @param brokers between 1 and 9
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder brokers(int brokers) {
      if (brokers < 1 || brokers > 9) {
        throw new IllegalArgumentException("brokers must be between 1 and 9, was " + brokers);
      }
      this.brokers = brokers;
      return this;
    }

    /**
     * Runs the KRaft controllers in separate nodes instead of inside the brokers (embedded backend
     * only). Separate controllers let a test stop every broker without losing the quorum.
     *
     * @param controllers number of dedicated controller nodes, 1 to 5
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder separateControllers(int controllers) {
      if (controllers < 1 || controllers > 5) {
        throw new IllegalArgumentException(
            "controllers must be between 1 and 5, was " + controllers);
      }
      this.combined = false;
      this.controllers = controllers;
      return this;
    }

    /**
     * Chooses the backend.
     *
     * @param backend the backend; {@link Backend#DEFAULT} resolves from the environment
     * @return this builder
     */
    public Builder backend(Backend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Adds a broker configuration property (embedded backend; ignored for external clusters).
     * Overrides the test-friendly defaults the kit sets.
     *
     * @param key broker configuration key, e.g. {@code log.segment.bytes}
     * @param value its value
     * @return this builder
     */
    public Builder brokerConfig(String key, String value) {
      brokerConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets how many times startup is attempted when it fails, e.g. on a port clash.
     *
     * @param attempts at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder startupAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("startupAttempts must be at least 1, was " + attempts);
      }
      this.startupAttempts = attempts;
      return this;
    }

    /**
     * Sets how long one startup attempt (or a broker restart) may take.
     *
     * @param timeout a positive duration; default two minutes
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder startupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Starts the cluster and waits until every broker is ready.
     *
     * @return the running cluster; the caller must close it
     * @throws BackendUnavailableException if the chosen backend cannot run here (Testcontainers
     *     without Docker, an external cluster with fewer brokers than asked for)
     * @throws IllegalStateException if the cluster fails to start after all attempts
     */
    public KafkaCluster start() {
      return ClusterFactory.start(
          new ClusterFactory.Spec(
              brokers,
              combined,
              controllers,
              backend,
              startupAttempts,
              startupTimeout,
              Map.copyOf(brokerConfig)));
    }
  }
}
