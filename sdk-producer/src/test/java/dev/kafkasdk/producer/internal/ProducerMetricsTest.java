package dev.kafkasdk.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ProducerMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged sends skip an empty composite registry (the builders' default, Micrometer's global
 * registry, often has no registry in it), but are recorded once a registry is added to it.
 */
class ProducerMetricsTest {
  @Test
  void aRegistryAddedToTheCompositeLaterGetsTheSendsFromThenOn() {
    CompositeMeterRegistry global = new CompositeMeterRegistry();
    ProducerMetrics metrics = new ProducerMetrics(global, "c1", false);
    metrics.sendSucceeded(1_000);

    MeterRegistry added = new SimpleMeterRegistry();
    global.add(added);
    metrics.sendSucceeded(2_000);
    metrics.sendSucceeded(3_000);

    assertThat(success(added).count()).isEqualTo(2);
    assertThat(success(added).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isEqualTo(5_000);
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
