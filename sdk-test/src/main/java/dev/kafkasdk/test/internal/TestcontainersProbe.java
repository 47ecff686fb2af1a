package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.BackendUnavailableException;
import dev.kafkasdk.test.KafkaCluster;

/**
 * Decides whether the Testcontainers backend can run, without loading any Testcontainers class when
 * the library is absent (it is an optional dependency).
 */
final class TestcontainersProbe {
  private TestcontainersProbe() {}

  static KafkaCluster start(ClusterFactory.Spec spec) {
    try {
      Class.forName(
          "org.testcontainers.kafka.KafkaContainer",
          false,
          TestcontainersProbe.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new BackendUnavailableException(
          "Testcontainers backend requested but org.testcontainers:testcontainers-kafka is not on"
              + " the classpath");
    }
    return TestcontainersKafkaCluster.start(spec);
  }
}
