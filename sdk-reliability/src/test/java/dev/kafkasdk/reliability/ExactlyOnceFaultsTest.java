package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The SDK's exactly-once copier ({@code ConsumerRunner...exactlyOnce(...)}) under faults: F20
 * (sends fail on purpose, so transactions abort and the runner rewinds; handler calls fail on
 * purpose and are retried on their own) with F9 (the copier's JVM killed with {@code SIGKILL} at
 * seeded points and restarted), and F18 (a zombie: a copier frozen with {@code SIGSTOP} inside an
 * open transaction while a second copier with the same transactional ids takes over, then thawed).
 * A {@code read_committed} drain of the output must hold every input record exactly once.
 */
@KafkaTest
class ExactlyOnceFaultsTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static final int PARTITIONS = 3;
  private static final int KEYS = 50;

  /**
   * F20 + F9: the first send of 0.5% of the output records fails (its transaction aborts and the
   * copier rewinds to the committed offsets), 3% of handler calls fail (retried on their own, no
   * abort), and the copier is killed with {@code kill -9} at seeded points.
   */
  @Test
  void copierSurvivesAbortsAndKill9(KafkaCluster kafka, TestNames names) throws Exception {
    String scenario = "eos-copier-kill9";
    Random random = SETTINGS.random(scenario);
    int records = 2_000;
    String input = names.topic("in");
    String output = names.topic("out");
    History history = produce(kafka, input, output, records);
    List<Path> files;
    try (CommitObserver observer =
        new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50))) {
      files =
          SeededKills.run(
              "copier",
              records,
              SETTINGS.iterations(),
              random,
              observer,
              (file, name) ->
                  CopierProcess.start(
                      kafka.bootstrapServers(),
                      input,
                      output,
                      names.groupId(),
                      names.transactionalId(),
                      name,
                      random.nextLong(),
                      30,
                      5,
                      file,
                      0));
    }
    files.forEach(file -> RunnerProcess.read(file).forEach(history::delivery));
    files.forEach(file -> CopierProcess.readAborts(file).forEach(history::injectedAbort));
    long handlerFailures = history.deliveries().stream().filter(d -> !d.succeeded()).count();
    int aborts = history.injectedAborts().size();
    System.out.println(
        scenario
            + ": "
            + handlerFailures
            + " injected handler failures, "
            + aborts
            + " injected send failures, each failing its transaction");
    assertThat(handlerFailures).as("handler calls failed on purpose").isPositive();
    assertThat(aborts).as("transactions failed on purpose").isPositive();
    drain(kafka, input, output, history);
    HistoryChecker checker = new HistoryChecker(history);
    Verdict verdict =
        verdict(scenario, history, List.of(checker.retriedAlone(), checker.rewoundAfterAbort()))
            .print();
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * F18: copier A parks inside a transaction at a seeded handler call and is frozen there with
   * SIGSTOP. Copier B, with the same group and transactional-id prefix, starts: its
   * initTransactions fences A's producers and aborts A's open transaction, and it takes A's
   * partitions once A's session expires. Then A is thawed and finishes its transaction: that
   * transaction must fail, and none of A's writes after the fence may be visible.
   */
  @Test
  void frozenCopierIsFencedWhenItWakesUp(KafkaCluster kafka, TestNames names) throws Exception {
    String scenario = "eos-zombie";
    Random random = SETTINGS.random(scenario);
    int records = 3_000;
    String input = names.topic("in");
    String output = names.topic("out");
    History history = produce(kafka, input, output, records);
    Path directory = Files.createTempDirectory("copier-deliveries");
    Path fileA = directory.resolve("zombie.csv");
    Path fileB = directory.resolve("successor.csv");
    long parkAt = 100 + random.nextInt(400);
    String parked;
    Process a = null;
    Process b = null;
    try (CommitObserver observer =
        new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50))) {
      a =
          CopierProcess.start(
              kafka.bootstrapServers(),
              input,
              output,
              names.groupId(),
              names.transactionalId(),
              "zombie",
              random.nextLong(),
              0,
              0,
              fileA,
              parkAt);
      Path marker = CopierProcess.parkedMarker(fileA);
      Awaitility.await("zombie parked at handler call " + parkAt)
          .atMost(Duration.ofMinutes(2))
          .until(() -> Files.exists(marker) && Files.readString(marker).endsWith("\n"));
      parked = Files.readString(marker).trim();
      signal(a, "STOP");

      b =
          CopierProcess.start(
              kafka.bootstrapServers(),
              input,
              output,
              names.groupId(),
              names.transactionalId(),
              "successor",
              random.nextLong(),
              20,
              0,
              fileB,
              0);
      int target = 200 + random.nextInt(200);
      Awaitility.await("successor took over")
          .atMost(Duration.ofMinutes(2))
          .until(() -> RunnerProcess.read(fileB).size() >= target);

      signal(a, "CONT");
      Files.createFile(CopierProcess.releaseMarker(fileA));
      String[] where = parked.split(" ");
      int partition = Integer.parseInt(where[0]);
      long offset = Long.parseLong(where[1]);
      Awaitility.await("zombie finished its parked call " + parked)
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  RunnerProcess.read(fileA).stream()
                      .anyMatch(
                          d -> d.partition().partition() == partition && d.offset() == offset));
      observer.awaitCommitted("copiers caught up", records, Duration.ofMinutes(2));
    } finally {
      if (a != null) {
        signal(a, "CONT");
        ChildJvmRunner.stop(a);
      }
      if (b != null) {
        ChildJvmRunner.stop(b);
      }
    }
    RunnerProcess.read(fileA).forEach(history::delivery);
    RunnerProcess.read(fileB).forEach(history::delivery);
    List<ConsumerRecord<String, String>> out = drain(kafka, input, output, history);
    String parkedCall = parked.split(" ")[2];
    List<String> zombieWrites =
        out.stream()
            .filter(r -> "zombie".equals(header(r, CopierProcess.WRITER_HEADER)))
            .filter(r -> parkedCall.equals(header(r, CopierProcess.CALL_HEADER)))
            .map(r -> r.partition() + "@" + r.offset())
            .toList();
    CheckResult fenced =
        zombieWrites.isEmpty()
            ? CheckResult.pass("zombie-fenced")
            : CheckResult.fail(
                "zombie-fenced",
                "the frozen copier's write of call "
                    + parkedCall
                    + " after the fence is visible at "
                    + zombieWrites);
    Verdict verdict = verdict(scenario, history, List.of(fenced)).print();
    System.out.println(scenario + ": parked record (partition offset call) " + parked);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /** Writes the input with the idempotent producer and creates both topics. */
  static History produce(KafkaCluster kafka, String input, String output, int records) {
    kafka.createTopic(input, PARTITIONS, 1);
    kafka.createTopic(output, PARTITIONS, 1);
    History history = new History();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .build()) {
      HistoryProducer writer = new HistoryProducer("p1", input, history, producer::send);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        sent.add(writer.send("key-" + (i % KEYS)));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
    return history;
  }

  /** Drains input and output into the history; returns the output records with their headers. */
  static List<ConsumerRecord<String, String>> drain(
      KafkaCluster kafka, String input, String output, History history) {
    return drain(kafka, input, output, history, Duration.ofMinutes(1));
  }

  static List<ConsumerRecord<String, String>> drain(
      KafkaCluster kafka, String input, String output, History history, Duration timeout) {
    Drain.topic(kafka, input, timeout, history::inputLogged);
    return Drain.records(kafka, output, timeout, history::outputLogged);
  }

  static Verdict verdict(String scenario, History history, List<CheckResult> extra) {
    HistoryChecker checker = new HistoryChecker(history);
    List<CheckResult> results = checker.consumerChecks(checker.exactlyOnce());
    results.addAll(extra);
    return new Verdict(scenario, SETTINGS.seed(), results);
  }

  static void signal(Process process, String signal) throws IOException, InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -" + signal).isTrue();
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
