package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Meta-tests of the oracle on a real broker: the naive multi-worker loop must fail the
 * commit-safety and at-least-once checks after a crash, and the textbook sequential consumer must
 * pass them. Without the first, the checker proves nothing; without the second, it cries wolf.
 */
@KafkaTest
class CheckerOnRealKafkaTest {
  private static final int RECORDS = 3_000;
  private static final long SEED = 42;

  @Test
  void naiveLoopIsCaughtAfterACrash(KafkaCluster kafka, TestNames names) throws Exception {
    History history = run(kafka, names, true);
    HistoryChecker checker = new HistoryChecker(history);
    CheckResult safety = checker.commitSafety();
    CheckResult atLeastOnce = checker.atLeastOnce();
    System.out.println("naive loop (expected to fail): " + safety.line());
    System.out.println("naive loop (expected to fail): " + atLeastOnce.line());
    assertThat(safety.passed()).as(safety.line()).isFalse();
    assertThat(atLeastOnce.passed()).as(atLeastOnce.line()).isFalse();
    assertThat(checker.lostWrite().passed()).as("the producer side was fine").isTrue();
  }

  @Test
  void sequentialConsumerPassesAfterACrash(KafkaCluster kafka, TestNames names) throws Exception {
    History history = run(kafka, names, false);
    HistoryChecker checker = new HistoryChecker(history);
    for (CheckResult result : checker.consumerChecks()) {
      System.out.println(result.line());
      assertThat(result.passed()).as(result.line()).isTrue();
    }
  }

  /**
   * Produces, consumes with the chosen first consumer, crashes it part-way, then lets a correct
   * sequential consumer finish from the committed offsets.
   */
  private static History run(KafkaCluster kafka, TestNames names, boolean naiveFirst)
      throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 3, 1);
    History history = new History();
    produce(kafka, topic, history);

    Random random = new Random(SEED);
    Consumer<ConsumerRecord<String, String>> slowHandler =
        record -> {
          try {
            // Simulated work; the test waits for Kafka with Awaitility, never with sleep.
            TimeUnit.MILLISECONDS.sleep(1 + random.nextInt(3));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Map<String, Object> config = kafka.clientConfig();
    try (CommitObserver observer =
        new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(20))) {
      AutoCloseable first =
          naiveFirst
              ? new NaiveMultiWorkerConsumer(
                  config, names.groupId(), topic, 8, slowHandler, history)
              : new SequentialConsumer(
                  config, names.groupId(), topic, "first", slowHandler, history);
      Awaitility.await("first consumer made progress")
          .atMost(Duration.ofSeconds(120))
          .until(() -> history.deliveryCount() >= 300);
      first.close();

      SequentialConsumer second =
          new SequentialConsumer(config, names.groupId(), topic, "second", record -> {}, history);
      try {
        observer.awaitCommitted("second consumer caught up", RECORDS, Duration.ofSeconds(120));
      } finally {
        second.close();
      }
    }
    Drain.topic(kafka, topic, Duration.ofSeconds(60), history::inputLogged);
    return history;
  }

  private static void produce(KafkaCluster kafka, String topic, History history) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> raw =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      HistoryProducer producer =
          new HistoryProducer("p1", topic, history, HistoryProducer.Sender.of(raw));
      List<CompletableFuture<Void>> outcomes = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        outcomes.add(producer.send("key-" + (i % 50)));
      }
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
    }
  }
}
