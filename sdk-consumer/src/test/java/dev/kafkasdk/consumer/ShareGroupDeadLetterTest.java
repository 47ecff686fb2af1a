package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.ShareGroups;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Failure actions of the share-group runner against a real broker: a record whose handler fails and
 * one that cannot be deserialized are dead-lettered with the usual headers, then rejected, never
 * delivered again.
 */
@KafkaTest
class ShareGroupDeadLetterTest {
  @Test
  void aPoisonRecordIsDeadLetteredThenRejectedAndNeverDeliveredAgain(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String deadLetters = topic + ".DLT";
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    kafka.createTopic(deadLetters, 1, 1);
    // A short lock, so a record that was not rejected would come back within the check below.
    ShareFixtures.configureGroup(kafka, group, Duration.ofSeconds(1));
    TestRecords.of(kafka)
        .produce(
            List.of(
                new ProducerRecord<>(topic, "k", "ok-1"),
                new ProducerRecord<>(topic, "k", "bad"),
                new ProducerRecord<>(topic, "k", "unreadable"),
                new ProducerRecord<>(topic, "k", "ok-2")));
    Deserializer<String> values =
        (t, data) -> {
          String value = new String(data, StandardCharsets.UTF_8);
          if (value.equals("unreadable")) {
            throw new IllegalArgumentException("cannot read " + value);
          }
          return value;
        };
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder(new StringDeserializer(), values)
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(group)
            .topics(topic)
            .strategy(Strategy.shareGroup(1, 2))
            .pollTimeout(Duration.ofMillis(200))
            .meterRegistry(registry)
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  calls.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
                  if (record.value().equals("bad")) {
                    throw new IllegalStateException("bad record");
                  }
                })
            .build()) {
      runner.start();
      List<ConsumerRecord<byte[], byte[]>> dead =
          await()
              .atMost(WAIT)
              .until(() -> KafkaFixtures.readDeadLetters(kafka, deadLetters), l -> l.size() >= 2);
      assertThat(dead)
          .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("bad", "unreadable");
      assertThat(dead)
          .allSatisfy(
              r -> {
                assertThat(r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC)).isNotNull();
                assertThat(r.headers().lastHeader(DeadLetterHeaders.EXCEPTION_CLASS)).isNotNull();
              });
      await().atMost(WAIT).until(() -> reject(registry) == 2);
      // Rejected, not released: with a 1 s lock, a record still acquired or released would be
      // handed to the runner again within this window.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> calls.get("bad").get() == 1 && !calls.containsKey("unreadable"));
      assertThat(calls.get("ok-1").get()).isEqualTo(1);
      assertThat(calls.get("ok-2").get()).isEqualTo(1);
      runner.close(Duration.ofSeconds(10));
      assertThat(runner.failure()).isEmpty();
    }
    // Nothing left for the group: every record was acknowledged (accepted or rejected).
    ShareGroups.of(kafka).awaitAcknowledgedToEnd(group, topic, WAIT);
  }

  private static double reject(SimpleMeterRegistry registry) {
    return registry
        .get(ConsumerMeters.SHARE_ACKNOWLEDGEMENTS)
        .tag(ConsumerMeters.TAG_TYPE, "reject")
        .counter()
        .count();
  }
}
