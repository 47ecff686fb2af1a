package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.BackendUnavailableException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;

/** A cluster run by somebody else. It is never stopped or modified beyond creating topics. */
final class ExternalKafkaCluster extends AdminBackedCluster {
  private final String bootstrapServers;
  private final Set<Integer> brokerIds;

  private ExternalKafkaCluster(String bootstrapServers, Set<Integer> brokerIds) {
    this.bootstrapServers = bootstrapServers;
    this.brokerIds = brokerIds;
  }

  static ExternalKafkaCluster connect(String bootstrapServers, ClusterFactory.Spec spec) {
    if (bootstrapServers == null) {
      throw new BackendUnavailableException(
          "external backend requested but neither the environment variable KAFKA_BOOTSTRAP_SERVERS"
              + " nor the system property kafkasdk.bootstrap.servers is set");
    }
    ExternalKafkaCluster probe = new ExternalKafkaCluster(bootstrapServers, Set.of());
    Set<Integer> ids;
    try (Admin admin = probe.newAdmin()) {
      ids = Collections.unmodifiableSet(new TreeSet<>(probe.liveBrokerIds(admin)));
    } catch (Exception e) {
      throw new BackendUnavailableException(
          "external cluster at " + bootstrapServers + " did not answer: " + e, e);
    }
    if (ids.size() < spec.brokers()) {
      throw new BackendUnavailableException(
          "external cluster at "
              + bootstrapServers
              + " has "
              + ids.size()
              + " broker(s); the test needs "
              + spec.brokers());
    }
    return new ExternalKafkaCluster(bootstrapServers, ids);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public Backend backend() {
    return Backend.EXTERNAL;
  }

  @Override
  public Set<Integer> brokerIds() {
    return brokerIds;
  }

  @Override
  public void stopBroker(int brokerId) {
    throw new UnsupportedOperationException(
        "brokers of an external cluster cannot be stopped by tests; use the embedded backend");
  }

  @Override
  public void startBroker(int brokerId) {
    throw new UnsupportedOperationException(
        "brokers of an external cluster cannot be started by tests; use the embedded backend");
  }

  @Override
  public boolean supportsBrokerControl() {
    return false;
  }

  @Override
  public void close() {
    // Somebody else owns this cluster.
  }
}
