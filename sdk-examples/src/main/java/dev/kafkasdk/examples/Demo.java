package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducerPool;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicSpec;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The README's first command: an order-processing pipeline on an embedded Kafka cluster (or yours,
 * with {@code --bootstrap host:port}), checked end to end.
 *
 * <ol>
 *   <li>Creates the {@code orders}, {@code order-results} and {@code orders.DLT} topics from {@link
 *       TopicSpec}s.
 *   <li>Several threads send orders with idempotent {@link ReliableProducer}s; the key is the
 *       customer, the value carries the customer's sequence number. Among them go {@code --poison}
 *       records that are not orders; the runner dead-letters them to {@code orders.DLT}.
 *   <li>A multi-worker {@link ConsumerRunner} ({@code KEY} ordering by default) processes them,
 *       calling a slow simulated downstream service, and writes one result per order to {@code
 *       order-results} in one transaction per batch ({@link TransactionalProducerPool}).
 *   <li>Once a second it prints records/s, consumer lag, records in flight and dead letters.
 *   <li>At the end it reads every topic back with {@code read_committed} and prints a verified
 *       summary whose last six lines are {@code produced}, {@code processed}, {@code
 *       dead-lettered}, {@code duplicates}, {@code order violations} and {@code lost}.
 * </ol>
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package -Ddemo.args="--records 50000 --ordering UNORDERED"
 * </pre>
 *
 * <p>Exits with 1 if anything was lost or duplicated, if the dead-letter topic does not hold
 * exactly the injected poison records, or if a customer's orders were processed out of order under
 * an ordering mode that promises per-key order; with 2 for invalid options.
 */
public final class Demo {
  private Demo() {}

  /**
   * Runs the demo and exits with its verdict.
   *
   * @param args see {@link DemoOptions#USAGE}
   */
  public static void main(String[] args) {
    if (List.of(args).contains("--help")) {
      System.out.println(DemoOptions.USAGE);
      return;
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    options.bootstrap().ifPresent(b -> System.setProperty(KafkaCluster.BOOTSTRAP_PROPERTY, b));
    DemoSummary summary;
    long starting = System.nanoTime();
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.printf(
          "cluster: %s at %s, started in %.1f s%n",
          kafka.backend(), kafka.bootstrapServers(), (System.nanoTime() - starting) / 1e9);
      summary = run(kafka, options, System.out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
      return;
    }
    // Kafka client threads may linger briefly after close; the verdict is known now.
    System.exit(summary.passed() ? 0 : 1);
  }

  /**
   * Runs the pipeline on a cluster and verifies it. Topic, group and transactional ids get a
   * per-run suffix, so runs never see each other's data.
   *
   * @param kafka the cluster
   * @param options the options ({@link DemoOptions#bootstrap()} is not used here)
   * @param out where progress and the summary go
   * @return the verified summary (also printed, its six lines last)
   * @throws InterruptedException if interrupted while waiting for the pipeline
   */
  public static DemoSummary run(KafkaCluster kafka, DemoOptions options, PrintStream out)
      throws InterruptedException {
    long start = System.nanoTime();
    String run = Long.toString(System.currentTimeMillis(), 36);
    String orders = "orders-" + run;
    String results = "order-results-" + run;
    // Where dead letters go: FailureAction.deadLetter()'s default name, "<topic>.DLT".
    String deadLetters = orders + ".DLT";
    String groupId = "order-processor-" + run;
    out.printf(
        "demo: %d orders (+%d poison records) from %d producer threads, %d workers, %s ordering,"
            + " %d partitions%n",
        options.records(),
        options.poison(),
        options.producers(),
        options.workers(),
        options.ordering(),
        options.partitions());

    createTopics(kafka, out, options.partitions(), orders, results, deadLetters);
    MeterRegistry registry = new SimpleMeterRegistry();
    OrderProducers producers = new OrderProducers(kafka.bootstrapServers(), orders, registry);

    try (Admin admin = Admin.create(kafka.clientConfig());
        TransactionalProducerPool<String, String> resultWriter =
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(kafka.bootstrapServers())
                .meterRegistry(registry)
                // Stable per application instance in production; per run here.
                .transactional("order-results-" + run)
                .buildPool(options.workers())) {
      ConsumerRunner.Builder<String, String> builder =
          ConsumerRunner.builder(new StringDeserializer(), new OrderValueDeserializer())
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(groupId)
              .name(groupId)
              .topics(orders)
              .strategy(Strategy.multiWorker(options.workers(), options.ordering()))
              .maxBatchSize(50)
              .meterRegistry(registry)
              .batchHandler(batch -> process(batch, resultWriter, results));
      ProgressReporter progress =
          new ProgressReporter(
              out,
              registry,
              admin,
              groupId,
              orders,
              deadLetters,
              () -> producers.acknowledged().size());
      ConsumerRunner<String, String> runner = configureFailureHandling(builder).build();
      try {
        runner.start();
        progress.start();
        producers.produce(
            options.records(), options.producers(), options.customers(), options.poison());
        out.printf(
            "producers done: %d orders and %d poison records acknowledged, %d failed%n",
            producers.acknowledged().size(), producers.poisonAcknowledged(), producers.failed());
        awaitProcessed(
            runner, progress, producers.acknowledged().size(), producers.poisonAcknowledged());
      } finally {
        runner.close(); // finishes running records, commits what is finished, leaves the group
        progress.close(); // the last progress line, after the final commit
      }
      runner.failure().ifPresent(failure -> out.println("runner failed: " + failure.getMessage()));
      boolean deadLetterTopicExists =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(deadLetters);
      DemoSummary summary =
          new PipelineCheck(kafka)
              .check(
                  options.ordering(),
                  producers.acknowledged(),
                  producers.poisonAcknowledged(),
                  orders,
                  results,
                  deadLetterTopicExists,
                  deadLetters,
                  start,
                  out);
      out.printf("took: %.1f s%n", summary.took().toMillis() / 1000.0);
      out.println(summary.passed() ? "verdict: OK" : "verdict: FAILED");
      summary.lines().forEach(out::println);
      return summary;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not list topics: " + e.getMessage(), e);
    }
  }

  /**
   * The one place where failure handling plugs in. Poison records never reach the handler: {@link
   * OrderValueDeserializer} rejects them, and the runner dead-letters each one alone, unretried, to
   * {@code <orders topic>.DLT} (original bytes and {@code ksdk.dlt.*} headers). A handler failure
   * (the results transaction could not commit) is retried three times in all with a short backoff,
   * and only then dead-letters the batch; an order that cannot be parsed is not worth retrying.
   *
   * @param builder the runner being configured
   * @return the same builder
   */
  static ConsumerRunner.Builder<String, String> configureFailureHandling(
      ConsumerRunner.Builder<String, String> builder) {
    return builder
        .retry(
            RetryPolicy.builder()
                .maxAttempts(3)
                .backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0))
                .nonRetryable(IllegalArgumentException.class)
                .build())
        .onFailure(FailureAction.deadLetter());
  }

  /**
   * All topics keyed by customer, so each customer's orders and results stay in order. The
   * dead-letter topic is created up front too: the runner does not create it.
   */
  private static void createTopics(
      KafkaCluster kafka, PrintStream out, int partitions, String... names) {
    int replicas = Math.min(3, kafka.brokerCount());
    try (TopicAdmin topics = TopicAdmin.builder().clientConfig(kafka.clientConfig()).build()) {
      for (String name : names) {
        TopicSpec spec =
            TopicSpec.eventStream(name)
                .partitions(partitions)
                .replicationFactor(replicas)
                .minInsyncReplicas(Math.max(1, replicas - 1))
                .keyed(true)
                .build();
        out.println("topic " + name + ": " + topics.apply(spec).outcome());
      }
    }
  }

  /**
   * The handler: one simulated downstream call per order, then the batch's results in one
   * transaction. The runner runs it on a worker; under {@code KEY} ordering a batch holds one
   * customer's orders in offset order and the next batch of that customer waits for this one.
   */
  private static void process(
      List<ConsumerRecord<String, String>> batch,
      TransactionalProducerPool<String, String> resultWriter,
      String results)
      throws InterruptedException {
    for (int i = 0; i < batch.size(); i++) {
      Thread.sleep(ThreadLocalRandom.current().nextInt(4)); // the slow downstream: 0-3 ms
    }
    // If the commit fails, inTransaction throws, the runner stops, and the batch is not committed:
    // it is redelivered, and a read_committed reader never sees the aborted results.
    resultWriter.inTransaction(
        tx -> {
          for (ConsumerRecord<String, String> record : batch) {
            Order order = Order.parse(record.value());
            tx.send(results, record.key(), order.result(record.partition(), record.offset()));
          }
        });
  }

  /**
   * Waits until every acknowledged order and poison record is processed or dead-lettered, the
   * runner stops, or 5 minutes pass; the pipeline check then reports whatever is missing.
   */
  private static void awaitProcessed(
      ConsumerRunner<String, String> runner,
      ProgressReporter progress,
      long expected,
      long expectedDeadLetters) {
    try {
      Awaitility.await("every order processed")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  (progress.processed() >= expected
                          && progress.deadLettered() >= expectedDeadLetters)
                      || runner.state() != ConsumerRunner.State.RUNNING);
    } catch (ConditionTimeoutException e) {
      // Not rethrown: the pipeline check after close() names what was lost or not yet processed.
    }
  }
}
