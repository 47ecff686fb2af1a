package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link KafkaClusterExtension#clusterFor(Class)} hands out the cluster the tests get, also when it
 * is called before any test of the run asked for one (here from the constructor, which runs before
 * {@code beforeAll} with a per-class test instance, as a Spring test context is built).
 */
@KafkaTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterForTest {
  private final KafkaCluster beforeAnyCallback = KafkaClusterExtension.clusterFor(getClass());

  @Test
  void givesTheInstanceTheTestsReceive(KafkaCluster kafka, TestNames names) {
    assertThat(kafka).isSameAs(beforeAnyCallback);
    assertThat(KafkaClusterExtension.clusterFor(ClusterForTest.class)).isSameAs(kafka);
    assertThat(SharedClusters.record(kafka)).as("one cluster per JVM").isEqualTo(1);

    kafka.createTopic(names.topic(), 1, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(java.util.List.of(new ProducerRecord<>(names.topic(), "k", "v")));
    assertThat(records.readCommitted(names.topic(), Duration.ofSeconds(60))).hasSize(1);
  }

  @Test
  void refusesAClassWithoutTheAnnotation() {
    assertThatThrownBy(() -> KafkaClusterExtension.clusterFor(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String is not annotated with @KafkaTest");
  }

  @Test
  void refusesAClassScopedCluster() {
    assertThatThrownBy(() -> KafkaClusterExtension.clusterFor(ClassScoped.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("scope = CLASS")
        .hasMessageContaining(ClassScoped.class.getName());
  }

  /** Not a test: only its annotation is read. */
  @KafkaTest(scope = KafkaTest.Scope.CLASS)
  static final class ClassScoped {}
}
