package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-JVM KRaft cluster built on Kafka's own {@code KafkaClusterTestKit}. That class is an
 * internal Kafka API, which is why it stays behind {@link dev.kafkasdk.test.KafkaCluster}.
 */
final class EmbeddedKafkaCluster extends AdminBackedCluster {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private final KafkaClusterTestKit kit;
  private final Duration startupTimeout;
  private final ClusterSecurity security;
  private final Set<Integer> stopped = new HashSet<>();
  private boolean closed;

  private EmbeddedKafkaCluster(
      KafkaClusterTestKit kit, Duration startupTimeout, ClusterSecurity security) {
    this.kit = kit;
    this.startupTimeout = startupTimeout;
    this.security = security;
  }

  static EmbeddedKafkaCluster start(ClusterFactory.Spec spec) {
    ExitGuard.install();
    ClusterSecurity security = new ClusterSecurity(spec.security(), spec.users());
    RuntimeException last = null;
    for (int attempt = 1; attempt <= spec.startupAttempts(); attempt++) {
      long started = System.nanoTime();
      KafkaClusterTestKit kit = null;
      try {
        kit = build(spec, security);
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        EmbeddedKafkaCluster cluster =
            new EmbeddedKafkaCluster(kit, spec.startupTimeout(), security);
        if (security.usesScram()) {
          security.users().forEach(cluster::createUser);
        }
        log.info(
            "embedded Kafka started: {} broker(s), {} mode, {}, {} ms, bootstrap {}",
            spec.brokers(),
            spec.combined() ? "combined" : "separate-controller",
            spec.security(),
            (System.nanoTime() - started) / 1_000_000,
            cluster.bootstrapServers());
        return cluster;
      } catch (Exception e) {
        last = new IllegalStateException("embedded Kafka failed to start: " + e, e);
        log.warn("embedded Kafka startup attempt {} failed: {}", attempt, e.toString());
        closeQuietly(kit);
      }
    }
    throw last;
  }

  private static KafkaClusterTestKit build(ClusterFactory.Spec spec, ClusterSecurity security)
      throws Exception {
    int brokers = spec.brokers();
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(spec.combined())
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(spec.combined() ? 1 : spec.controllers())
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    for (Map.Entry<String, String> e : testDefaults(brokers).entrySet()) {
      builder.setConfigProp(e.getKey(), e.getValue());
    }
    // The test kit keeps its listener names and ports; only their protocols and the SASL/SSL/ACL
    // settings change. Its own SASL support (PLAIN only, through a JVM-wide JAAS file) stays off.
    security.brokerConfig().forEach(builder::setConfigProp);
    spec.brokerConfig().forEach(builder::setConfigProp);
    return builder.build();
  }

  /**
   * Internal topics sized for the broker count, so transactions, consumer groups and share groups
   * work on one broker, and small partition counts so they are created quickly.
   */
  private static Map<String, String> testDefaults(int brokers) {
    String replicas = Integer.toString(Math.min(3, brokers));
    String minIsr = Integer.toString(Math.min(2, brokers));
    Map<String, String> config = new LinkedHashMap<>();
    config.put("offsets.topic.replication.factor", replicas);
    config.put("offsets.topic.num.partitions", "5");
    config.put("transaction.state.log.replication.factor", replicas);
    config.put("transaction.state.log.min.isr", minIsr);
    config.put("transaction.state.log.num.partitions", "5");
    config.put("default.replication.factor", replicas);
    config.putAll(ShareGroupBrokerConfig.forBrokers(brokers));
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    return config;
  }

  @Override
  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  @Override
  public Backend backend() {
    return Backend.EMBEDDED;
  }

  @Override
  public Security security() {
    return security.security();
  }

  @Override
  public Map<String, Object> adminProperties() {
    return security.adminProperties(bootstrapServers());
  }

  @Override
  public Map<String, Object> clientProperties(String user) {
    return security.clientProperties(bootstrapServers(), user);
  }

  @Override
  public Map<String, Object> clientProperties(String user, String password) {
    return security.clientProperties(bootstrapServers(), user, password);
  }

  @Override
  public String caCertificatePem() {
    return security.caCertificatePem();
  }

  @Override
  public void createUser(String user, String password) {
    requireScram("createUser");
    ClusterSecurity.validateUser(user, password);
    Map<BrokerServer, Object> before = scramCredentials(user);
    alterScram(
        new UserScramCredentialUpsertion(
            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
    security.rememberUser(user, password);
    awaitBrokers(
        "SCRAM credential of " + user,
        broker -> {
          Object now = scramCredential(broker, user);
          return now != null && now != before.get(broker);
        });
  }

  @Override
  public void deleteUser(String user) {
    requireScram("deleteUser");
    alterScram(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
    security.forgetUser(user);
    awaitBrokers("no SCRAM credential of " + user, broker -> scramCredential(broker, user) == null);
  }

  @Override
  public void grant(
      String user, ResourceType resourceType, String resourceName, AclOperation... operations) {
    List<AclBinding> bindings = bindings("grant", user, resourceType, resourceName, operations);
    try (Admin admin = newAdmin()) {
      admin.createAcls(bindings).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw failure("grant " + bindings, e);
    }
    awaitBrokers(
        "ACLs " + bindings, broker -> bindings.stream().allMatch(b -> enforced(broker, b)));
  }

  @Override
  public void revoke(
      String user, ResourceType resourceType, String resourceName, AclOperation... operations) {
    List<AclBinding> bindings = bindings("revoke", user, resourceType, resourceName, operations);
    try (Admin admin = newAdmin()) {
      admin
          .deleteAcls(bindings.stream().map(AclBinding::toFilter).collect(Collectors.toList()))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw failure("revoke " + bindings, e);
    }
    awaitBrokers(
        "no ACLs " + bindings, broker -> bindings.stream().noneMatch(b -> enforced(broker, b)));
  }

  private List<AclBinding> bindings(
      String call,
      String user,
      ResourceType resourceType,
      String resourceName,
      AclOperation... operations) {
    if (!security.security().authenticates()) {
      throw new UnsupportedOperationException(
          call
              + " needs a cluster that enforces ACLs (SASL_PLAIN, SASL_SCRAM, SASL_SSL); this one is "
              + security.security());
    }
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceName, "resourceName");
    if (operations.length == 0) {
      throw new IllegalArgumentException(call + " needs at least one AclOperation");
    }
    ResourcePattern pattern = new ResourcePattern(resourceType, resourceName, PatternType.LITERAL);
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              pattern,
              new AccessControlEntry(
                  "User:" + user,
                  "*",
                  Objects.requireNonNull(operation),
                  AclPermissionType.ALLOW)));
    }
    return bindings;
  }

  /** Whether the broker's own authorizer holds the binding, i.e. enforces it. */
  private static boolean enforced(BrokerServer broker, AclBinding binding) {
    if (broker.authorizerPlugin().isEmpty()) {
      return false;
    }
    for (AclBinding held : broker.authorizerPlugin().get().get().acls(binding.toFilter())) {
      if (held.equals(binding)) {
        return true;
      }
    }
    return false;
  }

  private void requireScram(String call) {
    if (!security.usesScram()) {
      throw new UnsupportedOperationException(
          call
              + " needs a cluster started with security SASL_SCRAM or SASL_SSL; this one is "
              + security.security()
              + (security.security() == Security.SASL_PLAIN
                  ? " (declare PLAIN users with KafkaCluster.builder().user(name, password))"
                  : ""));
    }
  }

  private void alterScram(UserScramCredentialAlteration alteration) {
    try (Admin admin = newAdmin()) {
      admin
          .alterUserScramCredentials(List.of(alteration))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw failure("alter SCRAM credentials of " + alteration.user(), e);
    }
  }

  /** The credential object each running broker holds now; a new one replaces it on change. */
  private Map<BrokerServer, Object> scramCredentials(String user) {
    Map<BrokerServer, Object> credentials = new IdentityHashMap<>();
    for (BrokerServer broker : runningBrokers()) {
      Object credential = scramCredential(broker, user);
      if (credential != null) {
        credentials.put(broker, credential);
      }
    }
    return credentials;
  }

  /**
   * The SCRAM credential the broker authenticates the user with. {@code credentialProvider()}
   * returns a class of {@code kafka-server}, a runtime-only dependency of {@code kafka_2.13};
   * reflection keeps that jar off the compile class path.
   */
  private static Object scramCredential(BrokerServer broker, String user) {
    try {
      Object provider = BrokerServer.class.getMethod("credentialProvider").invoke(broker);
      CredentialCache credentials =
          (CredentialCache) provider.getClass().getField("credentialCache").get(provider);
      CredentialCache.Cache<ScramCredential> cache =
          credentials.cache(ClusterSecurity.SCRAM_MECHANISM, ScramCredential.class);
      return cache == null ? null : cache.get(user);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the broker's SCRAM credentials: " + e, e);
    }
  }

  /** Waits until the condition holds on every running broker: then every broker enforces it. */
  private void awaitBrokers(String what, Predicate<BrokerServer> condition) {
    Awaitility.await(what + " on every broker")
        .atMost(ADMIN_TIMEOUT)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(20))
        .until(() -> runningBrokers().stream().allMatch(condition));
  }

  private synchronized List<BrokerServer> runningBrokers() {
    List<BrokerServer> running = new ArrayList<>();
    kit.brokers()
        .forEach(
            (id, broker) -> {
              if (!stopped.contains(id)) {
                running.add(broker);
              }
            });
    return running;
  }

  private static IllegalStateException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return new IllegalStateException("could not " + what + ": " + cause, cause);
  }

  @Override
  public Set<Integer> brokerIds() {
    return Collections.unmodifiableSet(new TreeSet<>(kit.brokers().keySet()));
  }

  @Override
  public boolean supportsBrokerControl() {
    return true;
  }

  @Override
  public synchronized void stopBroker(int brokerId) {
    BrokerServer broker = broker(brokerId);
    if (stopped.contains(brokerId)) {
      return;
    }
    broker.shutdown();
    broker.awaitShutdown();
    stopped.add(brokerId);
    log.info("embedded broker {} stopped", brokerId);
  }

  @Override
  public synchronized void startBroker(int brokerId) {
    BrokerServer broker = broker(brokerId);
    if (!stopped.contains(brokerId)) {
      return;
    }
    broker.startup();
    stopped.remove(brokerId);
    try (Admin admin = newAdmin()) {
      Awaitility.await("broker " + brokerId + " to rejoin")
          .atMost(startupTimeout)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> liveBrokerIds(admin).contains(brokerId));
    }
    log.info("embedded broker {} restarted", brokerId);
  }

  private BrokerServer broker(int brokerId) {
    BrokerServer broker = kit.brokers().get(brokerId);
    if (broker == null) {
      throw new IllegalArgumentException(
          "no broker " + brokerId + "; brokers are " + kit.brokers().keySet());
    }
    return broker;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(kit);
  }

  private static void closeQuietly(KafkaClusterTestKit kit) {
    if (kit == null) {
      return;
    }
    try {
      kit.close();
    } catch (Exception e) {
      log.warn("embedded Kafka did not shut down cleanly: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaCluster[" + bootstrapServers() + "]";
  }
}
