package dev.kafkasdk.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** All trials of one scenario, and their medians. */
final class ScenarioResult {
  final Scenario scenario;
  final Map<String, List<Trial>> trials = new LinkedHashMap<>();

  ScenarioResult(Scenario scenario) {
    this.scenario = scenario;
  }

  /** The scenario's variants that ran (all of them unless {@code --variants} chose some). */
  List<Variant> variants() {
    return scenario.variants().stream().filter(v -> trials.containsKey(v.name())).toList();
  }

  void add(String variant, Trial trial) {
    trials.computeIfAbsent(variant, v -> new ArrayList<>()).add(trial);
  }

  double median(String variant) {
    return median(trials.get(variant).stream().mapToDouble(Trial::value).sorted().toArray());
  }

  double medianExtra(String variant, String key) {
    return median(
        trials.get(variant).stream()
            .mapToDouble(t -> t.extra().getOrDefault(key, Double.NaN))
            .sorted()
            .toArray());
  }

  /** The median of every extra figure of the variant's trials, by name in sorted order. */
  Map<String, Double> medianExtras(String variant) {
    Map<String, Double> medians = new TreeMap<>();
    for (String key : trials.get(variant).get(0).extra().keySet()) {
      medians.put(key, medianExtra(variant, key));
    }
    return medians;
  }

  String unit(String variant) {
    return trials.get(variant).get(0).unit();
  }

  /** The SDK/baseline ratio of medians, or NaN for the baseline itself. */
  double ratio(Variant variant) {
    if (variant.baseline()) {
      return Double.NaN;
    }
    double computed = scenario.computedBaseline(variant.name());
    if (!Double.isNaN(computed)) {
      return median(variant.name()) / computed;
    }
    return variants().stream()
        .filter(Variant::baseline)
        .findFirst()
        .map(b -> median(variant.name()) / median(b.name()))
        .orElse(Double.NaN);
  }

  /**
   * The median of the variant over the median of the variant it is {@linkplain
   * Scenario#comparedWith(String) compared with}, or NaN when there is none or either did not run.
   */
  double comparison(Variant variant) {
    return scenario
        .comparedWith(variant.name())
        .filter(trials::containsKey)
        .filter(other -> trials.containsKey(variant.name()))
        .map(other -> median(variant.name()) / median(other))
        .orElse(Double.NaN);
  }

  static double median(double[] sorted) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
