package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The check that makes a peer's trial fail instead of counting when it lost a record or broke
 * per-key order; no Kafka involved.
 */
class DeliveryCheckTest {

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, int key) {
    return new ConsumerRecord<>(
        "t", partition, offset, ("key-" + key).getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  @Test
  void aKeysRecordsInOffsetOrderPassEvenInterleavedWithOtherKeys() {
    DeliveryCheck check = new DeliveryCheck(new long[] {4, 2}, 10, true);

    assertThat(check.handled(record(0, 0, 1))).isTrue();
    check.handled(record(0, 1, 2));
    check.handled(record(1, 0, 2));
    check.handled(record(0, 3, 2));
    check.handled(record(0, 2, 1));
    check.handled(record(1, 1, 3));

    check.requireNoneLostBelow(Map.of(0, 4L, 1, 2L), "in order");
    assertThat(check.distinct()).isEqualTo(6);
    assertThat(check.total()).isEqualTo(6);
  }

  @Test
  void aRecordHandledAfterALaterRecordOfItsKeyFailsTheTrial() {
    DeliveryCheck check = new DeliveryCheck(new long[] {10}, 10, true);
    check.handled(record(0, 5, 7));
    check.handled(record(0, 2, 7));

    assertThatThrownBy(() -> check.requireOrder("trial"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broke per-key order 1 times")
        .hasMessageContaining("key key-7: offset 2 handled after offset 5");
  }

  @Test
  void aRedeliveredSuffixIsNotAnOrderViolation() {
    DeliveryCheck check = new DeliveryCheck(new long[] {10}, 10, true);
    check.handled(record(0, 1, 7));
    check.handled(record(0, 4, 7));
    // Replayed after a rebalance, as at-least-once delivery may: already handled once.
    assertThat(check.handled(record(0, 1, 7))).isFalse();
    check.handled(record(0, 4, 7));
    check.handled(record(0, 6, 7));

    check.requireOrder("trial");
    assertThat(check.distinct()).isEqualTo(3);
  }

  @Test
  void withoutOrderOnlyLossCounts() {
    DeliveryCheck check = new DeliveryCheck(new long[] {10}, 10, false);
    check.handled(record(0, 5, 7));
    check.handled(record(0, 2, 7));

    check.requireOrder("unordered trial");
    assertThatThrownBy(() -> check.requireNoneLostBelow(Map.of(0, 6L), "unordered trial"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lost 4 records");
  }

  @Test
  void aKeyOutsideTheFilledKeysIsRefusedRatherThanMisfiled() {
    DeliveryCheck check = new DeliveryCheck(new long[] {10}, 10, true);

    assertThatThrownBy(() -> check.handled(record(0, 0, 10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unexpected key key-10");
  }
}
