package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Consumer faults against the SDK's runners: F9/F15 (the runner's JVM killed with {@code SIGKILL}
 * at seeded points while records finish out of order, then restarted) and F11 (a rebalance storm:
 * runners joining and leaving while records are produced). Nothing may be lost, nothing committed
 * past unfinished work, per-key order kept within each runner, and the group must catch up.
 */
@KafkaTest
class ConsumerFaultsTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static final int KEYS = 50;

  @Test
  void multiWorkerKeyRunnerSurvivesKill9(KafkaCluster kafka, TestNames names) throws Exception {
    Verdict verdict = crashRun(kafka, names, "consumer-kill9-key", "key-8", true);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  @Test
  void threadPerPartitionRunnerSurvivesKill9(KafkaCluster kafka, TestNames names) throws Exception {
    Verdict verdict = crashRun(kafka, names, "consumer-kill9-tpp", "tpp", false);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  @Test
  void rebalanceStormLosesNothing(KafkaCluster kafka, TestNames names) throws Exception {
    String scenario = "consumer-rebalance-storm";
    Random random = SETTINGS.random(scenario);
    String topic = names.topic();
    kafka.createTopic(topic, 6, 1);
    History history = new History();
    List<ConsumerRunner<String, String>> running = new ArrayList<>();
    int started = 0;
    try (ReliableProducer<String, String> producer = producer(kafka);
        CommitObserver observer =
            new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50))) {
      HistoryProducer writer = new HistoryProducer("p1", topic, history, producer::send);
      // A steady 200 records/s: enough to keep every runner busy through the storm, little
      // enough for a loaded 2-core machine to keep up with.
      PacedSender sending = PacedSender.start(writer, KEYS, Duration.ofMillis(5), "storm-producer");
      int steps = 4 + 4 * SETTINGS.iterations();
      for (int step = 0; step < steps; step++) {
        // Between one and three members: one always stays, so the group keeps making progress.
        boolean join = running.size() < 2 || (running.size() < 3 && random.nextBoolean());
        if (join) {
          running.add(stormRunner(kafka, names, topic, "storm-" + started++, random, history));
        } else {
          running.remove(random.nextInt(running.size())).close(Duration.ofSeconds(30));
        }
        int target = history.deliveryCount() + 150;
        Awaitility.await("progress after storm step " + step)
            .atMost(Duration.ofMinutes(2))
            .until(() -> history.deliveryCount() >= target);
      }
      sending.stopAndJoin();
      producer.flush();
      if (running.isEmpty()) {
        running.add(stormRunner(kafka, names, topic, "storm-" + started, random, history));
      }
      long acknowledged =
          history.sends().stream().filter(s -> s.status() == Events.SendStatus.OK).count();
      observer.awaitCommitted("group caught up", acknowledged, Duration.ofMinutes(2));
    } finally {
      for (ConsumerRunner<String, String> runner : running) {
        runner.close(Duration.ofSeconds(30));
      }
    }
    Drain.topic(kafka, topic, Duration.ofMinutes(1), history::inputLogged);
    Verdict verdict = verdict(scenario, history, true);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  private static ConsumerRunner<String, String> stormRunner(
      KafkaCluster kafka,
      TestNames names,
      String topic,
      String name,
      Random random,
      History history) {
    long seed = random.nextLong();
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(topic)
            .name(name)
            .strategy(Strategy.multiWorker(4, Ordering.KEY))
            .commitInterval(Duration.ofMillis(200))
            .handler(SimulatedWork.recordedIn(history, name, seed))
            .build();
    runner.start();
    return runner;
  }

  /**
   * Produces a fixed input, then runs runner processes one after another, killing all but the last
   * with SIGKILL after a seeded share of the input was handled.
   */
  private static Verdict crashRun(
      KafkaCluster kafka, TestNames names, String scenario, String strategy, boolean keyOrdered)
      throws Exception {
    Random random = SETTINGS.random(scenario);
    int records = 2_000;
    String topic = names.topic();
    kafka.createTopic(topic, 6, 1);
    History history = new History();
    try (ReliableProducer<String, String> producer = producer(kafka)) {
      HistoryProducer writer = new HistoryProducer("p1", topic, history, producer::send);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        sent.add(writer.send("key-" + (i % KEYS)));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
    List<Path> files;
    try (CommitObserver observer =
        new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50))) {
      files =
          SeededKills.run(
              "runner",
              records,
              SETTINGS.iterations(),
              random,
              observer,
              (file, name) ->
                  startRunner(kafka, topic, names.groupId(), strategy, file, name, random));
    }
    files.forEach(file -> RunnerProcess.read(file).forEach(history::delivery));
    Drain.topic(kafka, topic, Duration.ofMinutes(1), history::inputLogged);
    return verdict(scenario, history, keyOrdered);
  }

  private static Process startRunner(
      KafkaCluster kafka,
      String topic,
      String group,
      String strategy,
      Path file,
      String name,
      Random random)
      throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            ChildProcessCluster.CLIENT_COMPILER_ONLY,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            RunnerProcess.class.getName(),
            kafka.bootstrapServers(),
            topic,
            group,
            strategy,
            "3",
            file.toString(),
            name,
            Long.toString(random.nextLong()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(file.resolveSibling(name + ".log").toFile()));
    return builder.start();
  }

  private static ReliableProducer<String, String> producer(KafkaCluster kafka) {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers(kafka.bootstrapServers())
        .build();
  }

  private static Verdict verdict(String scenario, History history, boolean keyOrdered) {
    HistoryChecker checker = new HistoryChecker(history);
    return new Verdict(
            scenario,
            SETTINGS.seed(),
            checker.consumerChecks(keyOrdered ? checker.keyOrder() : checker.partitionOrder()))
        .print();
  }
}
