package dev.kafkasdk.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ProducerMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Which sends are timed: every send with a plain registry, none without a registry, and with a
 * composite (the builders' default, Micrometer's global registry, often empty) those made while it
 * has a registry, as last seen by a check every {@link ProducerMetrics#RECHECK_EVERY} sends.
 */
class ProducerMetricsTest {
  @Test
  void aRegistryAddedToAnEmptyCompositeIsSeenWithinTheRecheckAndARemovedOneToo() {
    CompositeMeterRegistry global = new CompositeMeterRegistry();
    ProducerMetrics metrics = new ProducerMetrics(global, "c1", false);
    assertThat(metrics.timing()).isFalse();

    MeterRegistry added = new SimpleMeterRegistry();
    global.add(added);
    assertThat(callsUntil(metrics, true)).isLessThanOrEqualTo(ProducerMetrics.RECHECK_EVERY);
    assertThat(metrics.timing()).as("stays on").isTrue();

    global.remove(added);
    assertThat(callsUntil(metrics, false)).isLessThanOrEqualTo(ProducerMetrics.RECHECK_EVERY);
  }

  @Test
  void aCompositeWithARegistryTimesFromTheFirstSendAndNoRegistryNever() {
    CompositeMeterRegistry global = new CompositeMeterRegistry();
    global.add(new SimpleMeterRegistry());
    assertThat(new ProducerMetrics(global, "c1", false).timing()).isTrue();
    assertThat(new ProducerMetrics(new SimpleMeterRegistry(), "c1", false).timing()).isTrue();
    ProducerMetrics none = new ProducerMetrics(null, "c1", false);
    for (int i = 0; i <= ProducerMetrics.RECHECK_EVERY; i++) {
      assertThat(none.timing()).isFalse();
    }
  }

  private static int callsUntil(ProducerMetrics metrics, boolean timing) {
    int calls = 1;
    while (metrics.timing() != timing) {
      calls++;
      assertThat(calls).isLessThanOrEqualTo(2 * ProducerMetrics.RECHECK_EVERY);
    }
    return calls;
  }

  @Test
  void aPlainRegistryGetsEverySend() {
    MeterRegistry registry = new SimpleMeterRegistry();
    ProducerMetrics metrics = new ProducerMetrics(registry, "c1", false);
    metrics.sendSucceeded(1_000);
    metrics.sendSucceeded(1_000);

    assertThat(success(registry).count()).isEqualTo(2);
  }

  private static Timer success(MeterRegistry registry) {
    return registry
        .get(ProducerMeters.SEND)
        .tag(ProducerMeters.TAG_CLIENT, "c1")
        .tag(ProducerMeters.TAG_RESULT, "success")
        .timer();
  }
}
