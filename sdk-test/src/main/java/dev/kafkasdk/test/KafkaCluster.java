package dev.kafkasdk.test;

import dev.kafkasdk.test.internal.ClusterFactory;
import dev.kafkasdk.test.internal.ClusterSecurity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

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
   * <p>On a secured cluster (see {@link #security()}) this is the address of the secured client
   * listener: a client needs the settings of {@link #clientProperties(String)} (or {@link
   * #adminProperties()}) besides it, or it cannot connect.
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
   * Returns the minimal client configuration for this cluster: {@code bootstrap.servers} and, on a
   * secured cluster, the kit's super user settings; the same as {@link #adminProperties()}. {@link
   * TestRecords} and {@link ConsumerGroupOffsets} use it, so they work on every cluster.
   *
   * @return a new mutable map that the caller may extend
   */
  default Map<String, Object> clientConfig() {
    return adminProperties();
  }

  /**
   * Returns how clients reach this cluster; see {@link Builder#security(Security)}.
   *
   * @return the security option, {@link Security#PLAINTEXT} unless the cluster was secured
   */
  default Security security() {
    return Security.PLAINTEXT;
  }

  /**
   * Returns the settings a client needs to connect as the kit's super user: {@code
   * bootstrap.servers} and, on a secured cluster, {@code security.protocol}, {@code sasl.mechanism}
   * ({@code PLAIN}), {@code sasl.jaas.config} and the PEM trust store. The super user passes every
   * ACL check; use it to set up, never in place of the user under test.
   *
   * @return a new mutable map that the caller may extend
   */
  default Map<String, Object> adminProperties() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers());
    return config;
  }

  /**
   * Returns the settings a client needs to connect as a user the kit knows (created by {@link
   * #createUser} or declared by {@link Builder#user}): {@code bootstrap.servers}, {@code
   * security.protocol}, {@code sasl.mechanism} ({@code SCRAM-SHA-512}, or {@code PLAIN} for {@link
   * Security#SASL_PLAIN}), {@code sasl.jaas.config} and, with TLS, {@code ssl.truststore.type=PEM}
   * and {@code ssl.truststore.certificates} with the kit's CA. Hostname verification stays on
   * ({@code ssl.endpoint.identification.algorithm} is not set, so Kafka's default {@code https}
   * applies; the broker certificate names {@code localhost} and {@code 127.0.0.1}).
   *
   * <pre>{@code
   * kafka.createUser("alice", "alice-secret");
   * kafka.grant("alice", ResourceType.TOPIC, "orders", AclOperation.WRITE);
   * Map<String, Object> config = kafka.clientProperties("alice");
   * config.put("key.serializer", StringSerializer.class);
   * }</pre>
   *
   * <p>On a cluster without authentication ({@link Security#PLAINTEXT}, {@link Security#SSL}) the
   * user is ignored.
   *
   * @param user the user name
   * @return a new mutable map that the caller may extend
   * @throws IllegalArgumentException if the cluster authenticates users and does not know this one
   */
  default Map<String, Object> clientProperties(String user) {
    return adminProperties();
  }

  /**
   * Returns client settings like {@link #clientProperties(String)} with the given credentials,
   * whether or not the cluster knows them: for tests of a wrong password or an unknown user.
   *
   * @param user the user name
   * @param password the password
   * @return a new mutable map that the caller may extend
   */
  default Map<String, Object> clientProperties(String user, String password) {
    return adminProperties();
  }

  /**
   * Creates a SCRAM-SHA-512 user, or changes its password, and waits until every broker accepts the
   * new credential.
   *
   * @param user user name: letters, digits, {@code .}, {@code _} and {@code -}
   * @param password the password, without {@code "} and {@code \}
   * @throws UnsupportedOperationException if the cluster does not use SCRAM ({@link
   *     Security#SASL_SCRAM}, {@link Security#SASL_SSL}); {@code PLAIN} users are declared with
   *     {@link Builder#user} before startup
   * @throws IllegalArgumentException if the name or password cannot be used
   * @throws IllegalStateException if the broker refuses or does not answer in time
   */
  default void createUser(String user, String password) {
    throw new UnsupportedOperationException(
        "createUser needs a cluster started with security SASL_SCRAM or SASL_SSL; this one is "
            + security());
  }

  /**
   * Deletes a SCRAM user and waits until no broker accepts its credential. New connections of the
   * user then fail to authenticate; open ones keep working, as with a real broker.
   *
   * @param user the user name
   * @throws UnsupportedOperationException if the cluster does not use SCRAM
   * @throws IllegalStateException if the broker refuses or does not answer in time
   */
  default void deleteUser(String user) {
    throw new UnsupportedOperationException(
        "deleteUser needs a cluster started with security SASL_SCRAM or SASL_SSL; this one is "
            + security());
  }

  /**
   * Allows a user operations on one resource (a literal resource name; {@code "*"} means every
   * resource of the type) from any host, and waits until every broker enforces it.
   *
   * <pre>{@code
   * kafka.grant("alice", ResourceType.TOPIC, "orders", AclOperation.READ, AclOperation.DESCRIBE);
   * kafka.grant("alice", ResourceType.GROUP, "orders-app", AclOperation.READ);
   * }</pre>
   *
   * @param user the user name (the ACL principal is {@code User:<user>})
   * @param resourceType e.g. {@code TOPIC}, {@code GROUP}, {@code TRANSACTIONAL_ID}, {@code
   *     CLUSTER} (whose name is {@code kafka-cluster})
   * @param resourceName the resource's literal name
   * @param operations at least one operation
   * @throws UnsupportedOperationException if the cluster does not enforce ACLs
   * @throws IllegalArgumentException if no operation is given
   * @throws IllegalStateException if the broker refuses or does not answer in time
   */
  default void grant(
      String user, ResourceType resourceType, String resourceName, AclOperation... operations) {
    throw new UnsupportedOperationException(
        "grant needs a cluster that enforces ACLs (SASL_PLAIN, SASL_SCRAM, SASL_SSL); this one is "
            + security());
  }

  /**
   * Removes ACLs added by {@link #grant} (the same user, resource and operations) and waits until
   * no broker enforces them.
   *
   * @param user the user name
   * @param resourceType the resource type
   * @param resourceName the resource's literal name
   * @param operations at least one operation
   * @throws UnsupportedOperationException if the cluster does not enforce ACLs
   * @throws IllegalArgumentException if no operation is given
   * @throws IllegalStateException if the broker refuses or does not answer in time
   */
  default void revoke(
      String user, ResourceType resourceType, String resourceName, AclOperation... operations) {
    throw new UnsupportedOperationException(
        "revoke needs a cluster that enforces ACLs (SASL_PLAIN, SASL_SCRAM, SASL_SSL); this one is "
            + security());
  }

  /**
   * Returns the CA certificate the brokers' certificate chains to, the one {@link
   * #clientProperties(String)} trusts. A fresh, unrelated CA for a client that must not trust the
   * brokers comes from {@link TestCertificates#unrelatedCaPem()}.
   *
   * @return a PEM {@code CERTIFICATE} block
   * @throws IllegalStateException if the cluster does not use TLS ({@link Security#SSL}, {@link
   *     Security#SASL_SSL})
   */
  default String caCertificatePem() {
    throw new IllegalStateException(
        "only SSL and SASL_SSL clusters have a CA; this one is " + security());
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
    private Security security = Security.PLAINTEXT;
    private final Map<String, String> brokerConfig = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();

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
     * Secures the cluster (embedded backend only): the client listener's protocol, the SASL
     * mechanism and ACL enforcement; see {@link Security}. Clients then need {@link
     * KafkaCluster#clientProperties(String)}.
     *
     * <pre>{@code
     * try (KafkaCluster kafka = KafkaCluster.builder().security(Security.SASL_SCRAM).start()) {
     *   kafka.createUser("alice", "alice-secret");
     *   kafka.grant("alice", ResourceType.TOPIC, "orders", AclOperation.WRITE);
     *   try (Producer<String, String> producer =
     *       new KafkaProducer<>(kafka.clientProperties("alice"), keySerde, valueSerde)) {
     *     // ...
     *   }
     * }
     * }</pre>
     *
     * @param security the option; default {@link Security#PLAINTEXT}
     * @return this builder
     */
    public Builder security(Security security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    /**
     * Declares a user that exists from startup: a {@code PLAIN} user (the only way to have one,
     * since {@code PLAIN} users live in the broker's JAAS configuration) and, on SCRAM clusters, a
     * SCRAM user created before {@link #start()} returns.
     *
     * @param name letters, digits, {@code .}, {@code _} and {@code -}
     * @param password the password, without {@code "} and {@code \}
     * @return this builder
     * @throws IllegalArgumentException if the name or password cannot be used
     */
    public Builder user(String name, String password) {
      ClusterSecurity.validateUser(name, password);
      users.put(name, password);
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
     * @throws IllegalArgumentException if users are declared on a cluster without authentication
     */
    public KafkaCluster start() {
      if (!users.isEmpty() && !security.authenticates()) {
        throw new IllegalArgumentException(
            "users were declared but security is "
                + security
                + "; choose SASL_PLAIN, SASL_SCRAM or SASL_SSL");
      }
      return ClusterFactory.start(
          new ClusterFactory.Spec(
              brokers,
              combined,
              controllers,
              backend,
              startupAttempts,
              startupTimeout,
              Map.copyOf(brokerConfig),
              security,
              Map.copyOf(users)));
    }
  }
}
