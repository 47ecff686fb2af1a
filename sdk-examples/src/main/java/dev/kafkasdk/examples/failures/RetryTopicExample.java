package dev.kafkasdk.examples.failures;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryTopicHeaders;
import dev.kafkasdk.consumer.RetryTopics;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import dev.kafkasdk.topics.RetryTopicSpecs;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicSpec;
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
import org.awaitility.Awaitility;

/**
 * Shipments booked with a carrier whose API sometimes times out, using non-blocking retry topics
 * instead of in-place retries:
 *
 * <ul>
 *   <li>every fourth shipment times out on its first call: it moves to {@code <topic>.retry-500ms},
 *       the shipments behind it go on at once, and it is booked when its delay is over;
 *   <li>shipment 13 is always refused: it goes through {@code <topic>.retry-500ms} and {@code
 *       <topic>.retry-2s}, then is dead-lettered once to {@code <topic>.DLT}, with the main topic's
 *       offset as its origin and the handler calls of the whole chain.
 * </ul>
 *
 * <p>The chain's topics are declared from the main topic's spec with {@link RetryTopicSpecs}.
 * Starts an embedded Kafka unless {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.failures.RetryTopicExample
 * </pre>
 */
public final class RetryTopicExample {
  private static final int SHIPMENTS = 30;
  private static final List<Duration> DELAYS =
      List.of(Duration.ofMillis(500), Duration.ofSeconds(2));

  private RetryTopicExample() {}

  /**
   * What the run saw.
   *
   * @param declared the topics declared: main, retry topics, dead-letter topic
   * @param booked shipments booked
   * @param bookedOnRetry shipments booked on a retry, seen by the handler with the main topic's
   *     name
   * @param deadLetters dead letters: shipment to its {@code ksdk.dlt.attempts} header
   */
  public record Summary(
      List<String> declared, int booked, int bookedOnRetry, Map<String, String> deadLetters) {}

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
   * Declares the topics, writes shipments and books them.
   *
   * @param kafka the cluster
   * @return what happened
   * @throws InterruptedException if interrupted while waiting
   */
  public static Summary run(KafkaCluster kafka) throws InterruptedException {
    String topic = "shipments-" + UUID.randomUUID();
    List<String> declared = new ArrayList<>();
    try (TopicAdmin admin = TopicAdmin.builder().clientConfig(kafka.clientConfig()).build()) {
      TopicSpec shipments =
          TopicSpec.eventStream(topic).partitions(3).replicationFactor(1).keyed(true).build();
      admin.apply(shipments);
      declared.add(shipments.name());
      // Same partitions and replication, delete cleanup, retention past the longest delay.
      for (TopicSpec spec : RetryTopicSpecs.forTopic(shipments, DELAYS)) {
        admin.apply(spec);
        declared.add(spec.name());
      }
    }
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < SHIPMENTS; i++) {
      records.add(new ProducerRecord<>(topic, "customer-" + (i % 7), "shipment-" + i));
    }
    TestRecords.of(kafka).produce(records);

    Set<String> timedOut = ConcurrentHashMap.newKeySet();
    Set<String> bookedOnRetry = ConcurrentHashMap.newKeySet();
    CountDownLatch booked = new CountDownLatch(SHIPMENTS - 1);
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("carrier-" + topic)
            .topics(topic)
            .strategy(Strategy.multiWorker(4, Ordering.KEY))
            // A failed shipment moves along the chain; its key and partition are not held. To keep
            // each key's order across the chain instead, use
            // RetryTopics.delays(...).keepKeyOrder():
            // later shipments of the key follow the failed one into the chain (RangeAssignor, retry
            // topics with the main topic's partition count; docs/failure-handling.md).
            .onFailure(FailureAction.retryTopics(RetryTopics.delays(DELAYS)))
            .handler(
                record -> {
                  String shipment = record.value();
                  int number = Integer.parseInt(shipment.substring("shipment-".length()));
                  if (number == 13) {
                    throw new IllegalStateException("carrier refused " + shipment);
                  }
                  if (number % 4 == 0 && timedOut.add(shipment)) {
                    throw new IllegalStateException("carrier timed out for " + shipment);
                  }
                  // A retried record is shown as the main topic's record; headers tell the retry.
                  if (record.headers().lastHeader(RetryTopicHeaders.ATTEMPT) != null
                      && record.topic().equals(topic)) {
                    bookedOnRetry.add(shipment);
                  }
                  booked.countDown();
                })
            .build()) {
      runner.start();
      if (!booked.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not every shipment was booked: " + runner.state());
      }
      // Shipment 13 reaches the dead-letter topic after both delays (2.5 s and more).
      Awaitility.await("shipment 13 in the dead-letter topic")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !deadLetters(kafka, topic).isEmpty());
    }
    Map<String, String> deadLetters = deadLetters(kafka, topic);
    return new Summary(
        List.copyOf(declared),
        SHIPMENTS - 1 - (int) booked.getCount(),
        bookedOnRetry.size(),
        deadLetters);
  }

  /** The dead letters written so far: shipment to its {@code ksdk.dlt.attempts} header. */
  private static Map<String, String> deadLetters(KafkaCluster kafka, String topic) {
    Map<String, String> deadLetters = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> letter :
        TestRecords.of(kafka)
            .readAll(
                RetryTopicNames.deadLetterTopic(topic),
                IsolationLevel.READ_COMMITTED,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Duration.ofMinutes(1))) {
      deadLetters.put(
          new String(letter.value(), StandardCharsets.UTF_8),
          header(letter, DeadLetterHeaders.ATTEMPTS));
    }
    return deadLetters;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
