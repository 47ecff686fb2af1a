package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ReliableProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * F4 and F3 for the SDK's exactly-once copier on a 3-node cluster of child processes: while the
 * copier (in a child JVM, with injected handler failures) runs, the broker that coordinates one of
 * its transactional ids is killed with {@code kill -9} and restarted, then the broker that
 * coordinates its consumer group. The output must still hold every input record exactly once, and
 * the final {@code read_committed} drain reaching the end proves no transaction was left hanging.
 */
class ExactlyOnceCoordinatorFaultsTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static ChildProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SharedProcessCluster.get();
  }

  @Test
  void copierSurvivesCoordinatorKills() throws Exception {
    String scenario = "eos-coordinator-kill";
    Random random = SETTINGS.random(scenario);
    String input = "reliability-" + scenario + "-in";
    String output = "reliability-" + scenario + "-out";
    String group = "reliability-" + scenario;
    String prefix = "reliability-" + scenario + "-" + SETTINGS.seed();
    cluster.createTopic(input, 3, 3, Map.of("min.insync.replicas", "2"));
    cluster.createTopic(output, 3, 3, Map.of("min.insync.replicas", "2"));
    History history = new History();
    Path file = Files.createTempDirectory("copier-deliveries").resolve("copier.csv");
    List<String> faults = new ArrayList<>();
    // Even rounds kill a transaction coordinator, odd ones the group coordinator: both, also in
    // the quick run.
    int rounds = SETTINGS.rounds(2);
    PacedSender sending = null;
    Process copier = null;
    CompletableFuture<Void> restart = CompletableFuture.completedFuture(null);
    try (ReliableProducer<String, String> producer =
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(cluster.directBootstrapServers())
                .build();
        CommitObserver observer =
            new CommitObserver(cluster.direct(), group, history, Duration.ofMillis(100));
        Admin admin = admin()) {
      HistoryProducer writer = new HistoryProducer("p1", input, history, producer::send);
      // Input keeps coming at 50 records/s, well below what the copier manages on this cluster
      // (about 100/s with the injected handler failures), so every fault meets live transactions
      // and the copier catches up quickly afterwards.
      sending = PacedSender.start(writer, 50, Duration.ofMillis(20), scenario + "-producer");
      copier =
          CopierProcess.start(
              cluster.directBootstrapServers(),
              input,
              output,
              group,
              prefix,
              "copier",
              random.nextLong(),
              20,
              0,
              file,
              0);
      for (int round = 0; round < rounds; round++) {
        awaitCommitted(admin, group, committed(admin, group) + 100, "before fault " + round);
        boolean transactionCoordinator = round % 2 == 0;
        int broker =
            transactionCoordinator
                ? transactionCoordinator(admin, prefix, random)
                : admin
                    .describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(60, TimeUnit.SECONDS)
                    .coordinator()
                    .id();
        long before = committed(admin, group);
        faults.add(
            (transactionCoordinator ? "transaction" : "group")
                + " coordinator "
                + broker
                + " at "
                + before
                + " committed");
        cluster.killBroker(broker);
        awaitCommitted(admin, group, before + 100, "while node " + broker + " is down");
        if (round < rounds - 1) {
          cluster.startBroker(broker);
        } else {
          // The last restart (log recovery, registration) overlaps the copier's catch-up.
          restart = CompletableFuture.runAsync(() -> cluster.startBroker(broker));
        }
      }
      sending.stopAndJoin();
      producer.flush();
      long end = endOffsets(admin, input);
      awaitCommitted(admin, group, end, "copier caught up");
      observer.observeOnce();
      restart.get(2, TimeUnit.MINUTES);
    } finally {
      if (sending != null) {
        sending.stop();
      }
      if (copier != null) {
        ChildJvmRunner.stop(copier);
      }
    }
    RunnerProcess.read(file).forEach(history::delivery);
    System.out.println(scenario + ": killed with kill -9 and restarted: " + faults);
    ExactlyOnceFaultsTest.drain(cluster.direct(), input, output, history, Duration.ofMinutes(2));
    Verdict verdict = ExactlyOnceFaultsTest.verdict(scenario, history, List.of()).print();
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * An admin client with short timeouts: a call routed to a killed coordinator fails fast and the
   * wait retries, instead of blocking for the default 60 s.
   */
  private static Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.directBootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
  }

  private static long committed(Admin admin, String group) throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS)
        .values()
        .stream()
        .filter(Objects::nonNull)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  private static long endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS).values().stream()
        .mapToLong(ListOffsetsResultInfo::offset)
        .sum();
  }

  private static void awaitCommitted(Admin admin, String group, long target, String what) {
    Awaitility.await("committed " + target + " " + what)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> committed(admin, group) >= target);
  }

  /** The coordinator of one of the copier's transactional ids, chosen by the seed. */
  private static int transactionCoordinator(Admin admin, String prefix, Random random)
      throws Exception {
    List<String> ids =
        admin
            .listTransactions(new ListTransactionsOptions())
            .all()
            .get(60, TimeUnit.SECONDS)
            .stream()
            .map(TransactionListing::transactionalId)
            .filter(id -> id.startsWith(prefix + "-"))
            .sorted()
            .toList();
    assertThat(ids).as("the copier's transactional ids").isNotEmpty();
    String id = ids.get(random.nextInt(ids.size()));
    return admin
        .describeTransactions(List.of(id))
        .description(id)
        .get(60, TimeUnit.SECONDS)
        .coordinatorId();
  }
}
