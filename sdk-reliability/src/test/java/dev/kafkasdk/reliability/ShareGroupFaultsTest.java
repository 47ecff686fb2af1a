package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.reliability.Events.Delivery;
import dev.kafkasdk.test.ShareGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Share groups (KIP-932) under faults, row S1 (this suite's id for share groups): share-group
 * runners ({@code Strategy.shareGroup}: 4 share consumers on 3 partitions, 4 workers each) in child
 * JVMs killed with {@code SIGKILL} at seeded points and restarted, and the leader of a seeded
 * partition (the share-partition leader, which holds the records' locks and delivery counts) killed
 * with {@code SIGKILL} and restarted while the last runner works, on the shared 3-node cluster of
 * child processes. Input arrives throughout at 200 records/s. The handler fails a seeded 2% of
 * records on every call (poison: retried by {@code RELEASE} until {@code maxAttempts}, then
 * dead-lettered and rejected) and 5% on their first call in each process (flaky: one {@code
 * RELEASE}, then success).
 *
 * <p>Judged in the share-group mode of the history checker ({@link
 * HistoryChecker#shareGroupChecks}): every acknowledged send in the log once, every record but the
 * poison ones processed at least once, the dead-letter topic holding exactly the poison records
 * (each at least once). No order and no committed offset are checked: a share group promises
 * neither.
 */
class ShareGroupFaultsTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static final int KEYS = 50;
  private static final int PARTITIONS = 3;
  private static final int CONSUMERS = 4;
  private static final int WORKERS = 4;
  private static final int PERCENT_POISON = 2;
  private static final int PERCENT_FLAKY = 5;

  /**
   * Kafka's maximum: a flaky record delivered to a killed runner, then failed once by the next one,
   * must still be far from the limit, or Kafka archives it undelivered.
   */
  private static final int DELIVERY_COUNT_LIMIT = 10;

  /** Each delivery is an attempt, so a poison record is dead-lettered on its sixth delivery. */
  private static final int MAX_ATTEMPTS = 6;

  private static ChildProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SharedProcessCluster.get();
  }

  @Test
  void shareGroupRunnersSurviveKill9AndABrokerBounce() throws Exception {
    String scenario = "share-group-kill9-bounce";
    Random random = SETTINGS.random(scenario);
    ShareGroupScript script =
        new ShareGroupScript(random.nextLong(), PERCENT_POISON, PERCENT_FLAKY);
    String topic = "reliability-" + scenario + "-" + SETTINGS.seed();
    String deadLetters = topic + FailureAction.DEFAULT_DEAD_LETTER_SUFFIX;
    String group = "reliability-share-" + SETTINGS.seed() + "-" + System.nanoTime();
    cluster.createTopic(topic, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
    cluster.createTopic(deadLetters, 1, 3, Map.of("min.insync.replicas", "2"));
    configureGroup(group);
    History history = new History();
    Path directory = Files.createTempDirectory("share-deliveries");
    List<Path> files = new ArrayList<>();
    int kills = SETTINGS.iterations();
    int bounces = SETTINGS.iterations();
    Phases phases = new Phases();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(cluster.directBootstrapServers())
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
            .deliveryTimeout(Duration.ofSeconds(30))
            .build()) {
      HistoryProducer writer = new HistoryProducer("p1", topic, history, producer::send);
      PacedSender sending = PacedSender.start(writer, KEYS, Duration.ofMillis(5), "share-producer");
      try {
        for (int i = 0; i <= kills; i++) {
          String name = "share-runner-" + i;
          Path file = directory.resolve(name + ".csv");
          files.add(file);
          Process process = startRunner(topic, group, file, name, random, script);
          try {
            if (i < kills) {
              awaitHandled(files, RunnerProcess.handled(files) + 150 + random.nextInt(250));
              process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
              phases.mark(name + " killed");
              continue;
            }
            for (int b = 0; b < bounces; b++) {
              awaitHandled(files, RunnerProcess.handled(files) + 150 + random.nextInt(250));
              int leader = leaderOf(topic, random.nextInt(PARTITIONS));
              cluster.killBroker(leader);
              phases.mark("broker " + leader + " killed");
              // Let the runner work on the other two brokers for a while (it may also stall
              // until the group's share-partition leaders have moved: no check depends on it).
              awaitHandledOrTime(files, RunnerProcess.handled(files) + 200, Duration.ofSeconds(4));
              cluster.startBroker(leader);
              phases.mark("broker " + leader + " back");
            }
            awaitHandled(files, RunnerProcess.handled(files) + 200);
            sending.stopAndJoin();
            producer.flush();
            Drain.topic(cluster.direct(), topic, Duration.ofMinutes(1), history::inputLogged);
            phases.mark("input written");
            awaitDone(history, script, files, deadLetters);
            phases.mark("all handled");
          } finally {
            if (process.isAlive()) {
              ChildJvmRunner.stop(process);
            }
          }
        }
      } finally {
        sending.stopAndJoin();
      }
    }
    files.forEach(file -> RunnerProcess.read(file).forEach(history::delivery));
    Drain.records(cluster.direct(), deadLetters, Duration.ofMinutes(1), logged -> {})
        .forEach(record -> history.deadLetterLogged(DeadLetters.of(record)));
    Verdict verdict =
        new Verdict(scenario, SETTINGS.seed(), new HistoryChecker(history).shareGroupChecks(script))
            .print();
    System.out.println(summary(history, script));
    System.out.println("share-group phases (s since start): " + phases);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * The group's configuration, set before its first member joins: read from the beginning (the
   * default is the latest offset, which would skip the records written before a member joined),
   * short locks and sessions so that a killed runner's records and partitions come back in seconds,
   * and the highest delivery count limit.
   */
  private static void configureGroup(String group) {
    ShareGroups.of(cluster.direct())
        .configure(
            group,
            Map.of(
                "share.auto.offset.reset", "earliest",
                "share.record.lock.duration.ms", "5000",
                "share.session.timeout.ms", "6000",
                "share.heartbeat.interval.ms", "1000",
                "share.delivery.count.limit", Integer.toString(DELIVERY_COUNT_LIMIT)));
  }

  /**
   * Waits until every record of the input (drained, now that nothing more is written) but the
   * poison ones succeeded and every poison one is in the dead-letter topic. A timeout is not
   * thrown: the verdict then says what is missing.
   */
  private static void awaitDone(
      History history, ShareGroupScript script, List<Path> files, String deadLetters) {
    Set<Payload> healthy = new HashSet<>();
    Set<Payload> poison = new HashSet<>();
    for (Events.Logged logged : history.input()) {
      (script.poison(logged.payload()) ? poison : healthy).add(logged.payload());
    }
    try {
      Awaitility.await("every healthy record succeeded, every poison one dead-lettered")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  succeeded(files).containsAll(healthy)
                      && endOffset(deadLetters) >= poison.size()
                      && deadLettered(deadLetters).containsAll(poison));
    } catch (ConditionTimeoutException e) {
      System.out.println("share-group scenario: " + e.getMessage());
    }
  }

  private static Set<Payload> deadLettered(String deadLetters) {
    return Drain.records(cluster.direct(), deadLetters, Duration.ofSeconds(30), logged -> {})
        .stream()
        .map(record -> Payload.decode(record.value()))
        .collect(Collectors.toSet());
  }

  private static Set<Payload> succeeded(List<Path> files) {
    return files.stream()
        .flatMap(f -> RunnerProcess.read(f).stream())
        .filter(Delivery::succeeded)
        .map(Delivery::payload)
        .collect(Collectors.toSet());
  }

  private static void awaitHandled(List<Path> files, int target) {
    Awaitility.await("runners handled " + target)
        .atMost(Duration.ofMinutes(2))
        .until(() -> RunnerProcess.handled(files) >= target);
  }

  private static void awaitHandledOrTime(List<Path> files, int target, Duration atMost) {
    try {
      Awaitility.await().atMost(atMost).until(() -> RunnerProcess.handled(files) >= target);
    } catch (ConditionTimeoutException e) {
      // Time is up: the fault has lasted long enough.
    }
  }

  /** When each step of the run happened, printed with the verdict to show where its time goes. */
  private static final class Phases {
    private final long start = System.nanoTime();
    private final StringBuilder marks = new StringBuilder();

    void mark(String what) {
      marks.append(
          String.format(
              java.util.Locale.ROOT,
              "%s%s %.1f",
              marks.isEmpty() ? "" : ", ",
              what,
              (System.nanoTime() - start) / 1e9));
    }

    @Override
    public String toString() {
      return marks.toString();
    }
  }

  private static String summary(History history, ShareGroupScript script) {
    List<Delivery> deliveries = history.deliveries();
    long failedCalls = deliveries.stream().filter(d -> !d.succeeded()).count();
    long handledTwice =
        deliveries.stream()
            .filter(Delivery::succeeded)
            .collect(Collectors.groupingBy(Delivery::payload, Collectors.counting()))
            .values()
            .stream()
            .filter(n -> n > 1)
            .count();
    long poison = history.input().stream().filter(l -> script.poison(l.payload())).count();
    return String.format(
        "share-group summary: %d records, %d handler calls (%d failed), %d records succeeded more"
            + " than once, %d poison, %d dead letters",
        history.input().size(),
        deliveries.size(),
        failedCalls,
        handledTwice,
        poison,
        history.deadLetters().size());
  }

  private static Process startRunner(
      String topic, String group, Path file, String name, Random random, ShareGroupScript script)
      throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            ChildProcessCluster.CLIENT_COMPILER_ONLY,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            ShareRunnerProcess.class.getName(),
            cluster.directBootstrapServers(),
            topic,
            group,
            Integer.toString(CONSUMERS),
            Integer.toString(WORKERS),
            Integer.toString(DELIVERY_COUNT_LIMIT),
            Integer.toString(MAX_ATTEMPTS),
            "3",
            file.toString(),
            name,
            Long.toString(random.nextLong()),
            Long.toString(script.seed()),
            Integer.toString(script.percentPoison()),
            Integer.toString(script.percentFlaky()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(file.resolveSibling(name + ".log").toFile()));
    return builder.start();
  }

  private static long endOffset(String topic) throws Exception {
    try (Admin admin = admin()) {
      return admin
          .listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(new TopicPartition(topic, 0))
          .offset();
    }
  }

  private static int leaderOf(String topic, int partition) throws Exception {
    try (Admin admin = admin()) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(60, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .get(partition)
          .leader()
          .id();
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.directBootstrapServers()));
  }
}
