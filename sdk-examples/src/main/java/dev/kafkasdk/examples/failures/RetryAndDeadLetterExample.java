package dev.kafkasdk.examples.failures;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.core.IntervalFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Payments with three kinds of trouble, and what the runner does with each:
 *
 * <ul>
 *   <li>a <b>flaky</b> downstream that fails the first time: retried after a backoff, then
 *       processed;
 *   <li>an <b>invalid</b> payment ({@code IllegalArgumentException}, marked not retryable):
 *       dead-lettered at once;
 *   <li>a <b>poison pill</b> whose amount is not a number: the deserializer rejects it, and it is
 *       dead-lettered as its original bytes while the payments around it are processed.
 * </ul>
 *
 * <p>Dead letters go to {@code <topic>.DLT} with {@link DeadLetterHeaders}. Starts an embedded
 * Kafka unless {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.failures.RetryAndDeadLetterExample
 * </pre>
 */
public final class RetryAndDeadLetterExample {
  private static final int PAYMENTS = 50;

  private RetryAndDeadLetterExample() {}

  /**
   * What the run saw.
   *
   * @param produced records written
   * @param processed payments processed successfully
   * @param retried payments that failed once and succeeded on a retry
   * @param deadLetters dead letters: original value (the raw bytes as text) to the failure kind
   *     header
   */
  public record Summary(
      int produced, int processed, int retried, Map<String, String> deadLetters) {}

  /**
   * Runs the example.
   *
   * @param args none
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println(run(kafka));
    }
  }

  /**
   * Writes payments (some flaky, one invalid, one unreadable) and processes them.
   *
   * @param kafka the cluster
   * @return what happened
   * @throws InterruptedException if interrupted while waiting
   */
  public static Summary run(KafkaCluster kafka) throws InterruptedException {
    String topic = "payments-" + UUID.randomUUID();
    kafka.createTopic(topic, 3, 1);
    kafka.createTopic(topic + ".DLT", 1, 1);
    List<ProducerRecord<String, String>> payments = new ArrayList<>();
    for (int i = 0; i < PAYMENTS; i++) {
      String amount = i == 20 ? "twelve" : i == 30 ? "-5" : Integer.toString(10 + i);
      payments.add(new ProducerRecord<>(topic, "customer-" + (i % 7), amount));
    }
    TestRecords.of(kafka).produce(payments);

    Set<Integer> flakySeen = ConcurrentHashMap.newKeySet();
    Set<Integer> retried = ConcurrentHashMap.newKeySet();
    CountDownLatch processed = new CountDownLatch(PAYMENTS - 2);
    try (ConsumerRunner<String, Integer> runner =
        ConsumerRunner.builder(new StringDeserializer(), amounts())
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("payments-" + topic)
            .topics(topic)
            .strategy(Strategy.multiWorker(4, Ordering.KEY))
            // Up to 4 attempts, 200 ms apart; a failed payment's key waits, other keys go on.
            .retry(
                RetryPolicy.builder()
                    .maxAttempts(4)
                    .backoff(IntervalFunction.of(Duration.ofMillis(200)))
                    .nonRetryable(IllegalArgumentException.class)
                    .build())
            // When retries are over (or the record is unreadable): publish to <topic>.DLT.
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  int amount = record.value();
                  if (amount < 0) {
                    throw new IllegalArgumentException("negative amount " + amount);
                  }
                  if (amount % 10 == 3 && flakySeen.add(amount)) {
                    throw new IllegalStateException("payment service timed out");
                  }
                  if (!flakySeen.add(amount)) {
                    retried.add(amount);
                  }
                  processed.countDown();
                })
            .build()) {
      runner.start();
      if (!processed.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not every payment was processed: " + runner.state());
      }
    }
    Map<String, String> deadLetters = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> letter :
        TestRecords.of(kafka)
            .readAll(
                topic + ".DLT",
                IsolationLevel.READ_COMMITTED,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Duration.ofMinutes(1))) {
      deadLetters.put(
          new String(letter.value(), StandardCharsets.UTF_8),
          header(letter, DeadLetterHeaders.FAILURE_KIND));
    }
    return new Summary(
        PAYMENTS, PAYMENTS - 2 - (int) processed.getCount(), retried.size(), deadLetters);
  }

  /** Amounts are integers written as text; anything else is a poison pill. */
  private static Deserializer<Integer> amounts() {
    return (topic, data) -> Integer.parseInt(new String(data, StandardCharsets.UTF_8));
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
