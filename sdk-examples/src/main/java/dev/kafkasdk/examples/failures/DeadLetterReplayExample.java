package dev.kafkasdk.examples.failures;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.DeadLetterReader;
import dev.kafkasdk.consumer.DeadLetterReplay;
import dev.kafkasdk.consumer.DeadLetterSelector;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.ReplayResult;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * Dead letters after an outage, inspected and replayed:
 *
 * <ol>
 *   <li>Orders are processed while the inventory service is down: those orders fail with {@code
 *       IllegalStateException} and are dead-lettered, and invalid orders fail with {@code
 *       IllegalArgumentException} and are dead-lettered too.
 *   <li>{@link DeadLetterReader} lists the dead letters with their original offsets and failures.
 *   <li>A {@linkplain DeadLetterReplay.Builder#dryRun(boolean) dry run} of a replay chosen by
 *       exception shows what would be sent, without sending.
 *   <li>The service is back: the replay republishes only the outage's dead letters to the orders
 *       topic, and the runner processes them. A second replay finds nothing new.
 * </ol>
 *
 * <p>Starts an embedded Kafka:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.failures.DeadLetterReplayExample
 * </pre>
 */
public final class DeadLetterReplayExample {
  private static final int ORDERS = 30;

  private DeadLetterReplayExample() {}

  /**
   * What the run saw.
   *
   * @param deadLettered dead letters written by the runner
   * @param listed dead letters the reader listed
   * @param wouldReplay dead letters the dry run chose
   * @param replayed records the replay sent
   * @param processedAfterReplay orders the runner processed from the replay
   * @param secondReplay records a second replay sent
   */
  public record Summary(
      int deadLettered,
      int listed,
      long wouldReplay,
      long replayed,
      int processedAfterReplay,
      long secondReplay) {}

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
   * Fails some orders, then inspects and replays their dead letters.
   *
   * @param kafka the cluster
   * @return what happened
   * @throws InterruptedException if interrupted while waiting
   */
  public static Summary run(KafkaCluster kafka) throws InterruptedException {
    String orders = "orders-" + UUID.randomUUID();
    String deadLetters = orders + FailureAction.DEFAULT_DEAD_LETTER_SUFFIX;
    kafka.createTopic(orders, 3, 1);
    kafka.createTopic(deadLetters, 1, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      // Every third order needs the inventory service; order 7 has no SKU.
      String order = i == 7 ? "order-7:" : "order-" + i + (i % 3 == 0 ? ":stock" : ":sku");
      records.add(new ProducerRecord<>(orders, "customer-" + (i % 5), order));
    }
    TestRecords.of(kafka).produce(records);

    AtomicBoolean inventoryDown = new AtomicBoolean(true);
    Set<String> processed = ConcurrentHashMap.newKeySet();
    AtomicInteger handled = new AtomicInteger();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("order-processing")
            .topics(orders)
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  handled.incrementAndGet();
                  if (record.value().endsWith(":")) {
                    throw new IllegalArgumentException("order without SKU: " + record.value());
                  }
                  if (record.value().endsWith(":stock") && inventoryDown.get()) {
                    throw new IllegalStateException("inventory service unavailable");
                  }
                  processed.add(record.value());
                })
            .build()) {
      runner.start();
      waitFor(() -> handled.get() >= ORDERS, "every order handled once");

      // 1. What is in the dead-letter topic?
      DeadLetterReader reader =
          DeadLetterReader.builder().bootstrapServers(kafka.bootstrapServers()).build();
      int deadLettered = ORDERS - processed.size();
      waitFor(
          () -> reader.list(deadLetters, DeadLetterSelector.all(), 100).size() == deadLettered,
          "every dead letter acknowledged");
      List<DeadLetter> listed = reader.list(deadLetters, DeadLetterSelector.all(), 100);
      for (DeadLetter letter : listed) {
        System.out.printf(
            "%s-%d@%d failed with %s%n",
            letter.originalTopic().orElse("?"),
            letter.originalPartition().orElse(-1),
            letter.originalOffset().orElse(-1),
            letter.exceptionClass().orElse("?"));
      }

      // 2. Only the outage's dead letters: a dry run first.
      DeadLetterSelector outage =
          DeadLetterSelector.builder().exception("IllegalStateException").build();
      DeadLetterReplay.Builder replay =
          DeadLetterReplay.builder(deadLetters)
              .bootstrapServers(kafka.bootstrapServers())
              .select(outage);
      ReplayResult dryRun = replay.dryRun(true).build().run();

      // 3. The service is back: replay for real, to the orders topic the headers name.
      inventoryDown.set(false);
      int before = processed.size();
      ReplayResult result = replay.dryRun(false).build().run();
      waitFor(() -> processed.size() == before + result.sent(), "every replayed order processed");
      ReplayResult again = replay.build().run();
      return new Summary(
          deadLettered,
          listed.size(),
          dryRun.matched(),
          result.sent(),
          processed.size() - before,
          again.sent());
    }
  }

  /** Waits up to 2 minutes for the condition; a timeout names what did not happen. */
  private static void waitFor(BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }
}
