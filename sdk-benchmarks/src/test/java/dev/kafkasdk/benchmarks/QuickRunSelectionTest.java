package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which scenarios and variants a quick run includes, so that it stays near six minutes. */
class QuickRunSelectionTest {
  private static final BenchSettings QUICK = new BenchSettings(true, 2);
  private static final BenchSettings FULL = new BenchSettings(false, 3);

  private static List<String> names(BenchSettings settings, Set<String> only) {
    return Scenarios.all(null, settings).stream()
        .filter(s -> BenchmarkMain.selected(s, only, settings.quick()))
        .map(Scenario::name)
        .toList();
  }

  @Test
  void aQuickRunKeepsToTheComparisonsUnlessAScenarioIsNamed() {
    assertThat(names(QUICK, Set.of()))
        .containsExactly("producer", "producer-tx", "consumer-light", "io-bound", "latency");
    assertThat(names(FULL, Set.of())).hasSize(8).contains("share-group-io", "memory");
    assertThat(names(QUICK, Set.of("memory", "share-group-light")))
        .containsExactly("share-group-light", "memory");
  }

  @Test
  void aQuickRunLeavesOutTheTracedLightVariantAndSixteenIoWorkers() {
    List<String> quickLight = variants(new LightConsumerScenario(null, QUICK));
    List<String> fullLight = variants(new LightConsumerScenario(null, FULL));
    assertThat(fullLight).contains("multi-worker-unordered-traced");
    assertThat(quickLight)
        .doesNotContain("multi-worker-unordered-traced")
        .hasSize(fullLight.size() - 1);
    assertThat(variants(new IoBoundScenario(null, QUICK)))
        .doesNotContain("multi-worker-key-16", "multi-worker-unordered-16")
        .contains("multi-worker-key-1000", "pc-key-1000", "wakeup-limit-1000");
    assertThat(variants(new IoBoundScenario(null, FULL))).contains("multi-worker-key-16");
  }

  @Test
  void theMeteredAndTracedProducersRunInFullModeAndInQuickModeOnlyWhenNamed() {
    ProducerScenario producer = new ProducerScenario(null, QUICK, false);
    for (String name : List.of(ProducerScenario.METERED, ProducerScenario.TRACED)) {
      Variant variant =
          producer.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
      assertThat(BenchmarkMain.selected(producer, variant, Set.of(), true)).isFalse();
      assertThat(BenchmarkMain.selected(producer, variant, Set.of(name), true)).isTrue();
      assertThat(BenchmarkMain.selected(producer, variant, Set.of(), false)).isTrue();
    }
    Variant callback = producer.variants().get(1);
    assertThat(callback.name()).isEqualTo("sdk-idempotent");
    assertThat(BenchmarkMain.selected(producer, callback, Set.of(), true)).isTrue();
  }

  private static List<String> variants(Scenario scenario) {
    return scenario.variants().stream().map(Variant::name).toList();
  }
}
