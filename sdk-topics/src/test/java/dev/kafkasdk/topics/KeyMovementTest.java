package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeyMovementTest {

  @Property(tries = 200)
  void partitionForKeyMatchesKafkasBuiltInPartitioner(
      @ForAll byte[] key, @ForAll @IntRange(min = 1, max = 5000) int partitions) {
    assertThat(KeyMovement.partitionForKey(key, partitions))
        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
  }

  @Property(tries = 300)
  void expectedFractionMatchesBruteForceOverOneHashPeriod(
      @ForAll @IntRange(min = 1, max = 60) int from, @ForAll @IntRange(min = 1, max = 60) int to) {
    long lcm = lcm(from, to);
    long moved = 0;
    for (long h = 0; h < lcm; h++) {
      if (h % from != h % to) {
        moved++;
      }
    }
    assertThat(KeyMovement.expectedMovedFraction(from, to))
        .isCloseTo((double) moved / lcm, within(1e-12));
  }

  @Test
  void knownFractions() {
    assertThat(KeyMovement.expectedMovedFraction(6, 12)).isCloseTo(0.5, within(1e-12));
    assertThat(KeyMovement.expectedMovedFraction(6, 7)).isCloseTo(6.0 / 7, within(1e-12));
    assertThat(KeyMovement.expectedMovedFraction(10, 10)).isZero();
    assertThat(KeyMovement.expectedMovedFraction(3, 4)).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void sampleMovementCountsKeysWhosePartitionChanges() {
    List<byte[]> keys =
        IntStream.range(0, 2_000)
            .mapToObj(i -> ("customer-" + i).getBytes(StandardCharsets.UTF_8))
            .toList();
    KeyMovement m = KeyMovement.estimate(6, 12, keys);
    long expectedMoved =
        keys.stream()
            .filter(
                k ->
                    BuiltInPartitioner.partitionForKey(k, 6)
                        != BuiltInPartitioner.partitionForKey(k, 12))
            .count();
    assertThat(m.sampledKeys()).isEqualTo(2_000);
    assertThat(m.movedKeys()).isEqualTo((int) expectedMoved);
    // murmur2 spreads keys evenly, so the sample lands near the arithmetic expectation (0.5).
    assertThat(m.movedFraction()).isCloseTo(0.5, within(0.06));
    assertThat(m.describe()).contains("6 -> 12 partitions").contains("of 2000 sampled keys");
  }

  @Test
  void nullKeysAreSkippedAndNoSampleFallsBackToTheExpectation() {
    List<byte[]> keys = new ArrayList<>(Arrays.asList(null, "a".getBytes(StandardCharsets.UTF_8)));
    assertThat(KeyMovement.estimate(2, 3, keys).sampledKeys()).isEqualTo(1);
    KeyMovement none = KeyMovement.estimate(2, 3, List.of());
    assertThat(none.sampledKeys()).isZero();
    assertThat(none.movedFraction()).isEqualTo(none.expectedMovedFraction());
    assertThat(none.describe()).contains("about");
  }

  @Test
  void noMovementWhenTheCountStays() {
    KeyMovement m = KeyMovement.estimate(4, 4, List.of("k".getBytes(StandardCharsets.UTF_8)));
    assertThat(m.movedKeys()).isZero();
  }

  @Test
  void countsBelowOneAreRejected() {
    assertThatThrownBy(() -> KeyMovement.expectedMovedFraction(0, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyMovement.partitionForKey(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }
}
