package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.core.IntervalFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * KEY ordering's fast path against a real broker: with a cheap handler and idle key lanes, a
 * partition's records run in offset order on one lane; a record that fails there is retried and
 * dead-lettered in its own key lane while the other keys of its partition go on (docs/consumer.md,
 * "KEY ordering's fast path"). Seen failing (the other keys waited behind the retries) with the
 * hand-back switched off.
 */
@KafkaTest
class KeyFastPathTest {
  private static final int WARM_UP = 2_000;
  private static final int AFTER = 50;
  private static final int KEYS = 50;

  @Test
  void aRecordFailingInAFastRunIsRetriedAndDeadLetteredWhileItsPartitionsOtherKeysGoOn(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String deadLetters = topic + ".DLT";
    kafka.createTopic(topic, 1, 1);
    kafka.createTopic(deadLetters, 1, 1);

    // The handler stays cheap (the fast path is taken only for a cheap one): per key the last
    // number seen, and whether a key ever went back.
    Map<String, AtomicInteger> last = new ConcurrentHashMap<>();
    AtomicBoolean wentBack = new AtomicBoolean();
    AtomicInteger badCalls = new AtomicInteger();
    AtomicInteger handled = new AtomicInteger();
    CountDownLatch othersAfterBad = new CountDownLatch(AFTER);
    AtomicBoolean othersWentOn = new AtomicBoolean();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(Strategy.multiWorker(4, Ordering.KEY))
                .retry(
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .backoff(IntervalFunction.of(Duration.ofMillis(500)))
                        .build())
                .onFailure(FailureAction.deadLetter())
                .handler(
                    record -> {
                      if (record.key().equals("bad")) {
                        if (badCalls.incrementAndGet() == 3) {
                          // Two retries later: every record after the bad one, of other keys,
                          // must have been able to finish meanwhile.
                          othersWentOn.set(othersAfterBad.await(20, TimeUnit.SECONDS));
                        }
                        throw new IllegalStateException("cannot process " + record.value());
                      }
                      int colon = record.value().indexOf(':');
                      int n = Integer.parseInt(record.value().substring(colon + 1));
                      if (last.computeIfAbsent(record.key(), k -> new AtomicInteger(-1))
                              .getAndSet(n)
                          > n) {
                        wentBack.set(true);
                      }
                      handled.incrementAndGet();
                      if (record.value().startsWith("after")) {
                        othersAfterBad.countDown();
                      }
                    })
                .build()) {
      runner.start();
      // A warm-up of cheap records: the runner measures the handler and its key lanes go idle, so
      // the next poll of the partition takes the fast path.
      TestRecords.of(kafka).produce(records(topic, "warm", 0, WARM_UP));
      await().atMost(WAIT).until(() -> handled.get() == WARM_UP);
      List<ProducerRecord<String, String>> next =
          new ArrayList<>(records(topic, "before", WARM_UP, 10));
      next.add(new ProducerRecord<>(topic, 0, "bad", "bad:0"));
      next.addAll(records(topic, "after", WARM_UP + 10, AFTER));
      TestRecords.of(kafka).produce(next);

      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, topic, 1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(othersWentOn)
          .as("the other keys finished while the bad record waited for its retries")
          .isTrue();
      assertThat(badCalls).as("bounded retries").hasValue(3);
      assertThat(handled).hasValue(WARM_UP + 10 + AFTER);
      assertThat(wentBack).as("a key went back in order").isFalse();
      List<ConsumerRecord<byte[], byte[]>> letters =
          KafkaFixtures.readDeadLetters(kafka, deadLetters);
      assertThat(letters).hasSize(1);
      assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("bad:0");
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  /** Records of {@link #KEYS} keys in turn, valued {@code phase:n} with n counting from start. */
  private static List<ProducerRecord<String, String>> records(
      String topic, String phase, int start, int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = start; i < start + count; i++) {
      records.add(new ProducerRecord<>(topic, 0, "k" + (i % KEYS), phase + ":" + i));
    }
    return records;
  }
}
