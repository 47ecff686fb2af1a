package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The child-process cluster really kills, restarts and freezes brokers. */
class ChildProcessClusterTest {
  private static ChildProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SharedProcessCluster.get();
  }

  @Test
  void survivesKillAndPauseOfOneNode() {
    String topic = "child-process-kill";
    cluster.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "2"));
    TestRecords records = TestRecords.of(cluster.direct());
    records.produce(topic, "k", "before");

    cluster.killBroker(3);
    assertThat(cluster.isListening(3)).isFalse();
    records.produce(topic, "k", "one node killed");

    cluster.startBroker(3);
    assertThat(cluster.isListening(3)).isTrue();

    cluster.pauseBroker(2);
    try {
      assertThat(cluster.isListening(2)).as("a frozen process keeps its socket").isTrue();
    } finally {
      cluster.resumeBroker(2);
    }
    records.produce(topic, "k", "after");

    assertThat(records.readCommitted(topic, Duration.ofSeconds(90)))
        .extracting(ConsumerRecord::value)
        .containsExactly("before", "one node killed", "after");
  }

  @Test
  void restartReturnsOnlyOnceTheNewProcessServes() {
    // Killed a moment ago, the node is still registered (its broker session has not timed out),
    // so registration alone cannot tell that the restarted process is up.
    cluster.killBroker(1);
    cluster.startBroker(1);
    assertThat(cluster.isListening(1)).as("listening as soon as startBroker returns").isTrue();
  }
}
