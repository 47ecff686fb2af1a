package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.reliability.Events.Send;
import dev.kafkasdk.reliability.Events.SendStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broker faults against the SDK's producers on a 3-node cluster of child processes (real {@code
 * kill -9} and {@code SIGSTOP}): rows F2, F4/F20 (producer side), F5 and F6 of the reliability
 * plan. Every acknowledged record must be in the log exactly once, in order per key, and no record
 * of an aborted transaction may be visible.
 */
class ProducerFaultsTest {
  private static final int KEYS = 20;
  private static ChildProcessCluster cluster;
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();

  @BeforeAll
  static void start() {
    cluster = SharedProcessCluster.get();
  }

  /** F2: the leader of partition 0 is killed with SIGKILL and restarted, repeatedly. */
  @Test
  void idempotentProducerSurvivesHardKillsOfTheLeader() throws Exception {
    Verdict verdict =
        idempotentRun(
            "producer-hard-kill",
            (random, topic) -> {
              int leader = leaderOf(topic, random.nextInt(3));
              cluster.killBroker(leader);
              return () -> cluster.startBroker(leader);
            });
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /** F6: the leader is frozen with SIGSTOP for longer than the request timeout, then thawed. */
  @Test
  void idempotentProducerSurvivesAFrozenLeader() throws Exception {
    Verdict verdict =
        idempotentRun(
            "producer-pause",
            (random, topic) -> {
              int leader = leaderOf(topic, random.nextInt(3));
              cluster.pauseBroker(leader);
              return () -> cluster.resumeBroker(leader);
            });
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * F5: two of three brokers stopped, so {@code min.insync.replicas=2} is not met. Sends during the
   * outage fail or stay pending; none may be acknowledged and then lost.
   */
  @Test
  void minInsyncReplicasNotMetNeverAcknowledgesALostWrite() throws Exception {
    Verdict verdict =
        idempotentRun(
            "producer-min-isr",
            new Fault() {
              @Override
              public Runnable inject(Random random, String topic) {
                int keep = 1 + random.nextInt(3);
                List<Integer> stopped = new ArrayList<>();
                for (int id : cluster.brokerIds()) {
                  if (id != keep) {
                    cluster.stopBroker(id);
                    stopped.add(id);
                  }
                }
                return () -> stopped.forEach(cluster::startBroker);
              }

              @Override
              public boolean felt(int completedSinceFault, long failedSinceFault) {
                return failedSinceFault >= 1;
              }
            });
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * F4/F20, producer side: transactions, every third aborted on purpose, while the leader is
   * killed. Aborted records must never be visible to {@code read_committed}; committed ones must be
   * there exactly once.
   */
  @Test
  void transactionsStayAtomicThroughHardKills() throws Exception {
    String scenario = "transactions-hard-kill";
    Random random = SETTINGS.random(scenario);
    String topic = "reliability-" + scenario;
    cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
    History history = new History();
    AtomicInteger committed = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (TransactionalProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(cluster.directBootstrapServers())
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
            .deliveryTimeout(Duration.ofSeconds(60))
            .transactional("reliability-tx-" + SETTINGS.seed())
            .transactionTimeout(Duration.ofSeconds(30))
            .maxAttempts(5)
            .build()) {
      Thread writer =
          new Thread(
              () -> {
                long sequence = 0;
                for (int tx = 0; !stop.get(); tx++) {
                  boolean abort = tx % 3 == 2;
                  List<Payload> payloads = transactionPayloads(sequence);
                  sequence += payloads.size();
                  try {
                    producer.inTransaction(
                        t -> {
                          for (Payload p : payloads) {
                            t.send(new ProducerRecord<>(topic, p.key(), p.encode()));
                          }
                          if (abort) {
                            throw new DeliberateAbort();
                          }
                        });
                    recordSends(history, payloads, SendStatus.OK, false);
                    committed.incrementAndGet();
                  } catch (DeliberateAbort e) {
                    recordSends(history, payloads, SendStatus.OK, true);
                  } catch (TransactionFailedException e) {
                    SendStatus status =
                        e.commitOutcomeUnknown() ? SendStatus.UNKNOWN : SendStatus.FAILED;
                    recordSends(history, payloads, status, false);
                  }
                }
              },
              "tx-writer");
      writer.start();
      for (int i = 0; i < SETTINGS.iterations(); i++) {
        int target = committed.get() + 5;
        Awaitility.await("transactions before fault " + i)
            .atMost(Duration.ofMinutes(2))
            .until(() -> committed.get() >= target);
        int leader = leaderOf(topic, random.nextInt(3));
        cluster.killBroker(leader);
        int during = committed.get() + 3;
        Awaitility.await("transactions while broker " + leader + " is down")
            .atMost(Duration.ofMinutes(2))
            .until(() -> committed.get() >= during);
        cluster.startBroker(leader);
      }
      int after = committed.get() + 3;
      Awaitility.await("transactions after the faults")
          .atMost(Duration.ofMinutes(2))
          .until(() -> committed.get() >= after);
      stop.set(true);
      writer.join(TimeUnit.MINUTES.toMillis(2));
    }
    Drain.topic(cluster.direct(), topic, Duration.ofMinutes(2), history::inputLogged);
    HistoryChecker checker = new HistoryChecker(history);
    // The producer checks but inconsistent-offset: a transactional send records no offset.
    Verdict verdict =
        new Verdict(
                scenario,
                SETTINGS.seed(),
                List.of(
                    checker.lostWrite(),
                    checker.duplicate(),
                    checker.abortedRead(),
                    checker.sendOrder()))
            .print();
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /** The ten payloads of one transaction, sequence numbers {@code first} to {@code first + 9}. */
  private static List<Payload> transactionPayloads(long first) {
    List<Payload> payloads = new ArrayList<>();
    for (long s = first; s < first + 10; s++) {
      payloads.add(new Payload("tx", "key-" + (s % KEYS), s));
    }
    return payloads;
  }

  /** Records a transaction's outcome for each of its sends; no partition or offset is known. */
  private static void recordSends(
      History history, List<Payload> payloads, SendStatus status, boolean aborted) {
    payloads.forEach(p -> history.send(new Send(p, status, -1, -1, aborted)));
  }

  /** Injects one fault and returns how to heal it. */
  @FunctionalInterface
  private interface Fault {
    Runnable inject(Random random, String topic) throws Exception;

    /**
     * Tells whether the producer has felt the fault long enough to heal it: by default 200 sends
     * completed while it lasted. A fault that stops all writes completes sends only by failing them
     * after the delivery timeout, so there one failed send proves the outage was felt.
     */
    default boolean felt(int completedSinceFault, long failedSinceFault) {
      return completedSinceFault >= 200;
    }
  }

  private static Verdict idempotentRun(String scenario, Fault fault) throws Exception {
    Random random = SETTINGS.random(scenario);
    String topic = "reliability-" + scenario;
    cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
    History history = new History();
    AtomicInteger completed = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(cluster.directBootstrapServers())
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
            .deliveryTimeout(Duration.ofSeconds(15))
            .build()) {
      HistoryProducer writer = new HistoryProducer("p1", topic, history, producer::send);
      Thread sending =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  // Bounded in flight: wait for every 50th send so faults meet live traffic.
                  CompletableFuture<Void> outcome =
                      writer.send("key-" + (i % KEYS)).thenRun(completed::incrementAndGet);
                  if (i % 50 == 49) {
                    outcome.join();
                  }
                }
              },
              scenario + "-writer");
      sending.start();
      for (int i = 0; i < SETTINGS.iterations(); i++) {
        int before = completed.get() + 500;
        Awaitility.await("sends before fault " + i)
            .atMost(Duration.ofMinutes(2))
            .until(() -> completed.get() >= before);
        Runnable heal = fault.inject(random, topic);
        int completedBefore = completed.get();
        long failedBefore = failed(history);
        Awaitility.await("producer feels fault " + i)
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    fault.felt(completed.get() - completedBefore, failed(history) - failedBefore));
        heal.run();
      }
      int after = completed.get() + 500;
      Awaitility.await("sends after the faults")
          .atMost(Duration.ofMinutes(2))
          .until(() -> completed.get() >= after);
      stop.set(true);
      sending.join(TimeUnit.MINUTES.toMillis(2));
      producer.flush();
    }
    Drain.topic(cluster.direct(), topic, Duration.ofMinutes(2), history::inputLogged);
    return new Verdict(scenario, SETTINGS.seed(), new HistoryChecker(history).producerChecks())
        .print();
  }

  private static long failed(History history) {
    return history.sends().stream().filter(s -> s.status() != SendStatus.OK).count();
  }

  private static int leaderOf(String topic, int partition) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.directBootstrapServers()))) {
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

  /** Thrown by a transaction body to abort it on purpose. */
  private static final class DeliberateAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
