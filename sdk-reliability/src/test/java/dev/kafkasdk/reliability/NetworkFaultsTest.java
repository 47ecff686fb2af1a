package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.reliability.Events.SendStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults between clients and a 3-node cluster of child processes whose clients go through a {@link
 * FaultProxy} per node: F23 (produce responses lost, so retries rewrite; with the meta-test that a
 * producer without idempotence must show duplicates), F7 (client-broker partition: one broker or
 * all blackholed while replication goes on) and F8 (the whole cluster killed and restarted, with
 * {@code close()} during the outage). Inter-broker traffic, the commit observer and the final drain
 * bypass the proxies.
 */
class NetworkFaultsTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static final int KEYS = 20;
  private static final int F23_RECORDS = 1_500;
  private static final double F23_DROPPED_SHARE = 0.2;
  private static final String OUTAGE_TOPIC = "reliability-f8-closed-during-outage";
  private static ChildProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SharedProcessCluster.get();
  }

  @AfterEach
  void healAll() {
    cluster.brokerIds().forEach(id -> cluster.proxy(id).heal());
  }

  /**
   * F23 meta-test: a producer without idempotence (acks=all, retries on) whose produce responses
   * are lost rewrites the records; the {@code duplicate} check must catch it, or it proves nothing.
   */
  @Test
  void withoutIdempotenceLostResponsesShowAsDuplicates() throws Exception {
    String scenario = "f23-idempotence-off";
    Map<String, Object> config = cluster.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    History history;
    long dropped;
    try (KafkaProducer<String, String> raw =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      long before = droppedResponses();
      history = lostResponsesRun(scenario, HistoryProducer.Sender.of(raw));
      dropped = droppedResponses() - before;
    }
    Drain.topic(cluster.direct(), topic(scenario), Duration.ofMinutes(1), history::inputLogged);
    HistoryChecker checker = new HistoryChecker(history);
    CheckResult duplicate = checker.duplicate();
    System.out.println("scenario " + scenario + " seed " + SETTINGS.seed());
    System.out.println("produce responses dropped: " + dropped);
    System.out.println("idempotence off (expected to fail): " + duplicate.line());
    System.out.println(checker.lostWrite().line());
    assertThat(dropped).as("the proxy dropped produce responses").isPositive();
    assertThat(duplicate.passed()).as(duplicate.line()).isFalse();
    assertThat(checker.lostWrite().passed()).as("acks=all with retries loses nothing").isTrue();
  }

  /** F23: the same lost responses against the SDK's idempotent producer: nothing written twice. */
  @Test
  void idempotentProducerHidesLostResponses() throws Exception {
    String scenario = "f23-idempotent";
    History history;
    long dropped;
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(cluster.bootstrapServers())
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
            .deliveryTimeout(Duration.ofSeconds(60))
            .build()) {
      long before = droppedResponses();
      history = lostResponsesRun(scenario, producer::send);
      dropped = droppedResponses() - before;
    }
    Drain.topic(cluster.direct(), topic(scenario), Duration.ofMinutes(1), history::inputLogged);
    Verdict verdict =
        new Verdict(scenario, SETTINGS.seed(), new HistoryChecker(history).producerChecks())
            .print();
    System.out.println("produce responses dropped: " + dropped);
    assertThat(dropped).as("the proxy dropped produce responses").isPositive();
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * F7: clients cut off from one broker (even rounds; the heal delivers the bytes held meanwhile,
   * as TCP would) or from every broker (odd rounds; the heal resets every connection) while
   * replication goes on, long enough for sends to time out. Timed-out sends are indefinite, not
   * lost; after the heal nothing acknowledged is missing or doubled and the runner resumes without
   * skipping.
   */
  @Test
  void blackholedBrokersLoseNothingAndTheRunnerResumes() throws Exception {
    Verdict verdict =
        consumeUnderFaults(
            "f7-blackhole",
            // Both kinds of cut, one broker and every broker, also in the quick run.
            SETTINGS.rounds(2),
            (random, round) -> {
              List<Integer> cut =
                  round % 2 == 0
                      ? List.of(1 + random.nextInt(cluster.brokerCount()))
                      : List.copyOf(cluster.brokerIds());
              boolean reset = round % 2 == 1;
              System.out.println(
                  "round "
                      + round
                      + ": blackhole brokers "
                      + cut
                      + (reset ? ", connections reset at the heal" : ""));
              cut.forEach(id -> cluster.proxy(id).blackhole());
              return () ->
                  cut.forEach(
                      id -> {
                        if (reset) {
                          // Held bytes are discarded instead of delivered late.
                          cluster.proxy(id).resetConnections();
                        }
                        cluster.proxy(id).heal();
                      });
            });
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * F8: every node killed with SIGKILL and restarted. In the first outage a second producer with
   * pending sends and a second runner are closed; both {@code close()} calls must return.
   */
  @Test
  void wholeClusterDownAndBack() throws Exception {
    List<ConsumerRunner<String, String>> closedDuringOutage = new ArrayList<>();
    Verdict verdict =
        consumeUnderFaults(
            "f8-cluster-down",
            SETTINGS.iterations(),
            (random, round) -> {
              ReliableProducer<String, String> extraProducer = null;
              ConsumerRunner<String, String> extraRunner = null;
              if (round == 0) {
                extraProducer = producer();
                // Metadata first: send() blocks up to max.block.ms for a topic it does not know,
                // and with every broker down it would never learn it.
                cluster.createTopic(OUTAGE_TOPIC, 3, 3, Map.of("min.insync.replicas", "2"));
                extraProducer.send(OUTAGE_TOPIC, "k", "before").join();
                extraRunner = extraRunner();
                closedDuringOutage.add(extraRunner);
                ConsumerRunner<String, String> assigned = extraRunner;
                Awaitility.await("second runner assigned")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> !assigned.assignment().isEmpty());
              }
              System.out.println("round " + round + ": kill -9 every node");
              cluster.brokerIds().forEach(cluster::killBroker);
              if (extraProducer != null) {
                closeDuringOutage(extraProducer, extraRunner);
              }
              return () -> cluster.startBrokers(cluster.brokerIds());
            });
    for (ConsumerRunner<String, String> runner : closedDuringOutage) {
      assertThat(runner.awaitTermination(Duration.ofMinutes(2)))
          .as("the runner closed during the outage has stopped")
          .isTrue();
    }
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /** Both close calls return while no broker is up; how long they take is only printed. */
  private static void closeDuringOutage(
      ReliableProducer<String, String> producer, ConsumerRunner<String, String> runner) {
    for (int i = 0; i < 20; i++) {
      producer.send(OUTAGE_TOPIC, "k" + i, "pending");
    }
    long start = System.nanoTime();
    CompletableFuture<Void> producerClosed =
        CompletableFuture.runAsync(() -> producer.close(Duration.ofSeconds(5)));
    CompletableFuture<Void> runnerClosed =
        CompletableFuture.runAsync(() -> runner.close(Duration.ofSeconds(5)));
    Awaitility.await("close() returns during the outage")
        .atMost(Duration.ofMinutes(2))
        .until(() -> producerClosed.isDone() && runnerClosed.isDone());
    producerClosed.join();
    runnerClosed.join();
    System.out.println(
        "close() of a producer and a runner during the outage returned after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms (timeout 5 s each)");
  }

  /** Injects one fault in round {@code round} and returns how to heal it. */
  @FunctionalInterface
  private interface Fault {
    Runnable inject(Random random, int round) throws Exception;
  }

  /**
   * A paced producer (the SDK's, through the proxies) and an in-process multi-worker KEY runner run
   * while the fault strikes {@code rounds} times. Each fault lasts until a send has ended without
   * an acknowledgement (so the outage was felt), then heals; the group must then catch up with the
   * whole log.
   */
  private static Verdict consumeUnderFaults(String scenario, int rounds, Fault fault)
      throws Exception {
    Random random = SETTINGS.random(scenario);
    String topic = topic(scenario);
    String group = "group-" + scenario;
    cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
    History history = new History();
    AtomicInteger acknowledged = new AtomicInteger();
    ConsumerRunner<String, String> runner = runner(group, topic, "runner-1", random, history);
    try (ReliableProducer<String, String> producer = producer();
        CommitObserver observer =
            new CommitObserver(cluster.direct(), group, history, Duration.ofMillis(50))) {
      runner.start();
      HistoryProducer writer =
          new HistoryProducer(
              "p1",
              topic,
              history,
              record ->
                  producer
                      .send(record)
                      .whenComplete(
                          (metadata, error) -> {
                            if (error == null) {
                              acknowledged.incrementAndGet();
                            }
                          }));
      // 200 records/s: steady traffic through every fault, little for a loaded machine.
      PacedSender sending =
          PacedSender.start(writer, KEYS, Duration.ofMillis(5), scenario + "-producer");
      for (int round = 0; round < rounds; round++) {
        awaitProgress(history, acknowledged, "before fault " + round);
        int firstDuringFault = sending.sent();
        Runnable heal = fault.inject(random, round);
        // Lasts until a send made during the fault has timed out: a send left over from an
        // earlier round does not count, so every outage is longer than the delivery timeout.
        Awaitility.await("a send made during fault " + round + " times out")
            .atMost(Duration.ofMinutes(2))
            .until(() -> unacknowledgedSince(history, firstDuringFault));
        heal.run();
      }
      awaitProgress(history, acknowledged, "after the faults");
      sending.stopAndJoin();
      producer.flush();
      long logged = logEnd(topic);
      observer.awaitCommitted(
          "group caught up with " + logged + " records", logged, Duration.ofMinutes(2));
      assertThat(runner.failure()).as("the runner survived the faults").isEmpty();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    } finally {
      runner.close(Duration.ofSeconds(30));
    }
    Drain.topic(cluster.direct(), topic, Duration.ofMinutes(1), history::inputLogged);
    long unknown = history.sends().stream().filter(s -> s.status() == SendStatus.UNKNOWN).count();
    System.out.println(
        "scenario "
            + scenario
            + ": "
            + history.sends().size()
            + " sends, "
            + unknown
            + " unknown, "
            + history.deliveryCount()
            + " deliveries");
    HistoryChecker checker = new HistoryChecker(history);
    return new Verdict(
            scenario,
            SETTINGS.seed(),
            checker.consumerChecks(checker.inconsistentOffset(), checker.keyOrder()))
        .print();
  }

  private static void awaitProgress(History history, AtomicInteger acknowledged, String when) {
    int deliveries = history.deliveryCount() + 300;
    int acks = acknowledged.get() + 300;
    Awaitility.await("sends acknowledged and records handled " + when)
        .atMost(Duration.ofMinutes(2))
        .until(() -> acknowledged.get() >= acks && history.deliveryCount() >= deliveries);
  }

  /**
   * Sends {@value #F23_RECORDS} payloads while every proxy drops a seeded share of produce
   * responses, waiting for every 50th send so the drops meet live traffic rather than one burst.
   */
  private static History lostResponsesRun(String scenario, HistoryProducer.Sender sender) {
    Random random = SETTINGS.random(scenario);
    String topic = topic(scenario);
    cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
    History history = new History();
    // One draw per node; the same seed for both F23 runs, so they meet the same fault schedule.
    Random drops = SETTINGS.random("f23");
    cluster
        .brokerIds()
        .forEach(id -> cluster.proxy(id).dropProduceResponses(F23_DROPPED_SHARE, drops.nextLong()));
    HistoryProducer writer = new HistoryProducer("p1", topic, history, sender);
    List<CompletableFuture<Void>> outcomes = new ArrayList<>();
    int keyOffset = random.nextInt(KEYS);
    for (int i = 0; i < F23_RECORDS; i++) {
      CompletableFuture<Void> outcome = writer.send("key-" + ((i + keyOffset) % KEYS));
      outcomes.add(outcome);
      if (i % 50 == 49) {
        outcome.join();
      }
    }
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
    cluster.brokerIds().forEach(id -> cluster.proxy(id).heal());
    return history;
  }

  private static long droppedResponses() {
    return cluster.brokerIds().stream().mapToLong(id -> cluster.proxy(id).droppedResponses()).sum();
  }

  /** Whether a send of the paced producer's {@code index}-th record or later was not acked. */
  private static boolean unacknowledgedSince(History history, int index) {
    return history.sends().stream()
        .filter(s -> s.status() != SendStatus.OK)
        .map(Events.Send::payload)
        .anyMatch(p -> p.sequence() * KEYS + Integer.parseInt(p.key().substring(4)) >= index);
  }

  private static long logEnd(String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.directBootstrapServers()))) {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(60, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> latest =
          java.util.stream.IntStream.range(0, partitions)
              .boxed()
              .collect(
                  Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    }
  }

  private static String topic(String scenario) {
    return "reliability-" + scenario;
  }

  private static ReliableProducer<String, String> producer() {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers(cluster.bootstrapServers())
        .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000)
        .deliveryTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static ConsumerRunner<String, String> runner(
      String group, String topic, String name, Random random, History history) {
    long seed = random.nextLong();
    return ConsumerRunner.builder()
        .bootstrapServers(cluster.bootstrapServers())
        .groupId(group)
        .topics(topic)
        .name(name)
        .strategy(Strategy.multiWorker(4, Ordering.KEY))
        .commitInterval(Duration.ofMillis(200))
        // A member cut off from its coordinator is removed after the session timeout; 10 s
        // instead of 45 s keeps the rejoin after a heal within the scenario's budget.
        .property("session.timeout.ms", 10_000)
        .handler(SimulatedWork.recordedIn(history, name, seed))
        .build();
  }

  /** A runner of its own group and topic, only to be closed during the outage. */
  private static ConsumerRunner<String, String> extraRunner() {
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(cluster.bootstrapServers())
            .groupId("group-f8-closed-during-outage")
            .topics(OUTAGE_TOPIC)
            .name("closed-during-outage")
            .strategy(Strategy.multiWorker(2, Ordering.KEY))
            .property("session.timeout.ms", 10_000)
            .handler(record -> {})
            .build();
    runner.start();
    return runner;
  }
}
