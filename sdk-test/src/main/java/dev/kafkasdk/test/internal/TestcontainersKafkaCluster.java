package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.BackendUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** A single Apache Kafka broker in a container, for machines that have a Docker engine. */
final class TestcontainersKafkaCluster extends AdminBackedCluster {
  /** Same Kafka version as the clients, so behaviour matches the embedded backend. */
  static final String IMAGE =
      "apache/kafka:" + org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();

  private final KafkaContainer container;
  private boolean closed;

  private TestcontainersKafkaCluster(KafkaContainer container) {
    this.container = container;
  }

  static TestcontainersKafkaCluster start(ClusterFactory.Spec spec) {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      throw new BackendUnavailableException(
          "Testcontainers backend requested but Docker could not be probed: " + e, e);
    }
    if (!docker) {
      throw new BackendUnavailableException(
          "Testcontainers backend requested but no Docker engine is available on this machine");
    }
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
    // Testcontainers sizes the offsets and transaction topics for one broker but not the share
    // coordinator's state topic; the same settings as the embedded backend, the caller's win.
    Map<String, String> config = new LinkedHashMap<>(ShareGroupBrokerConfig.forBrokers(1));
    config.putAll(spec.brokerConfig());
    config.forEach(
        (key, value) -> container.withEnv("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
    container.withStartupTimeout(spec.startupTimeout());
    container.start();
    return new TestcontainersKafkaCluster(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public Backend backend() {
    return Backend.TESTCONTAINERS;
  }

  @Override
  public Set<Integer> brokerIds() {
    return Set.of(1);
  }

  @Override
  public void stopBroker(int brokerId) {
    throw new UnsupportedOperationException(
        "the Testcontainers backend cannot stop a single broker; use the embedded backend");
  }

  @Override
  public void startBroker(int brokerId) {
    throw new UnsupportedOperationException(
        "the Testcontainers backend cannot restart a single broker; use the embedded backend");
  }

  @Override
  public boolean supportsBrokerControl() {
    return false;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      container.stop();
    }
  }
}
