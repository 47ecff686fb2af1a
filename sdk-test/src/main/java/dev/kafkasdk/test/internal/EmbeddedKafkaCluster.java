package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Backend;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
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
  private final Set<Integer> stopped = new HashSet<>();
  private boolean closed;

  private EmbeddedKafkaCluster(KafkaClusterTestKit kit, Duration startupTimeout) {
    this.kit = kit;
    this.startupTimeout = startupTimeout;
  }

  static EmbeddedKafkaCluster start(ClusterFactory.Spec spec) {
    ExitGuard.install();
    RuntimeException last = null;
    for (int attempt = 1; attempt <= spec.startupAttempts(); attempt++) {
      long started = System.nanoTime();
      KafkaClusterTestKit kit = null;
      try {
        kit = build(spec);
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, spec.startupTimeout());
        log.info(
            "embedded Kafka started: {} broker(s), {} mode, {} ms, bootstrap {}",
            spec.brokers(),
            spec.combined() ? "combined" : "separate-controller",
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

  private static KafkaClusterTestKit build(ClusterFactory.Spec spec) throws Exception {
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
    spec.brokerConfig().forEach(builder::setConfigProp);
    return builder.build();
  }

  /**
   * Internal topics sized for the broker count, so transactions and consumer groups work on one
   * broker, and small partition counts so they are created quickly.
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
