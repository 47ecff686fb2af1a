package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.util.List;

/** The scenarios of a run, in the order they are printed. */
final class Scenarios {
  private Scenarios() {}

  static List<Scenario> all(KafkaCluster kafka, BenchSettings settings) {
    return List.of(
        new ProducerScenario(kafka, settings, false),
        new ProducerScenario(kafka, settings, true),
        new LightConsumerScenario(kafka, settings),
        new IoBoundScenario(kafka, settings),
        new ShareGroupLightScenario(kafka, settings),
        new ShareGroupIoScenario(kafka, settings),
        new LatencyScenario(kafka, settings),
        new MemoryScenario(kafka, settings));
  }
}
