package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Warm-up passes: until steady, capped, and once only for a variant that hit its time cap. */
class WarmUpTest {

  /** A variant whose warm-up trials return {@code values} in turn, counting its runs. */
  private static Variant variant(
      String name, AtomicInteger runs, boolean capped, double... values) {
    return new Variant(
        name,
        false,
        round -> {
          double value = values[Math.min(runs.getAndIncrement(), values.length - 1)];
          return new Trial(value, "records/s", Map.of("capped", capped ? 1.0 : 0.0));
        });
  }

  @Test
  void aCappedPeerWarmsUpOnceWhileTheOthersRunUntilSteady() throws Exception {
    AtomicInteger steady = new AtomicInteger();
    AtomicInteger settling = new AtomicInteger();
    AtomicInteger peer = new AtomicInteger();
    Set<String> capped =
        BenchmarkMain.warmUp(
            List.of(
                variant("steady", steady, false, 100, 101, 102, 103),
                variant("settling", settling, false, 50, 80, 85, 86),
                // A capped peer's rate never agrees from pass to pass: it must neither hold the
                // others up nor run again.
                variant("pc", peer, true, 1_000, 2_500, 1_200, 3_000)),
            4);
    assertThat(capped).containsExactly("pc");
    assertThat(peer).hasValue(1);
    assertThat(settling).hasValue(3); // 80 -> 85 agrees within 10 % at pass 3
    assertThat(steady).hasValue(3);
  }

  @Test
  void warmUpStopsAtTheCapWhenAVariantNeverSettles() throws Exception {
    AtomicInteger restless = new AtomicInteger();
    BenchmarkMain.warmUp(List.of(variant("restless", restless, false, 1, 2, 4, 8, 16)), 3);
    assertThat(restless).hasValue(3);
  }
}
