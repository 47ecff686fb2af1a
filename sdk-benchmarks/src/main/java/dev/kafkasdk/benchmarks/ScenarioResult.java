package dev.kafkasdk.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleBiFunction;

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

  /**
   * The variant's ratio to the baseline: against a {@linkplain Scenario#computedBaseline(String)
   * computed} baseline, its median over that figure; against a measured one, the median of the
   * per-round ratios (each round's trial of the variant over the baseline's trial of the same
   * round), so a slow spell that hits both trials of one round cancels out instead of landing in
   * one median only. NaN for the baseline itself.
   */
  double ratio(Variant variant) {
    if (variant.baseline()) {
      return Double.NaN;
    }
    return againstBaseline(variant, this::pairedRatio);
  }

  /**
   * The ratio of medians, {@code median(variant) / median(baseline)}: the statistic the ratio lines
   * showed before they became {@linkplain #ratio(Variant) paired}; kept in the JSON file so the two
   * can be compared.
   */
  double ratioOfMedians(Variant variant) {
    if (variant.baseline()) {
      return Double.NaN;
    }
    return againstBaseline(variant, (name, baseline) -> median(name) / median(baseline));
  }

  /**
   * {@code variant}'s median over the computed baseline where the scenario has one, else {@code
   * statistic} of the variant and the measured baseline; NaN without a baseline.
   */
  private double againstBaseline(Variant variant, ToDoubleBiFunction<String, String> statistic) {
    double computed = scenario.computedBaseline(variant.name());
    if (!Double.isNaN(computed)) {
      return median(variant.name()) / computed;
    }
    return variants().stream()
        .filter(Variant::baseline)
        .findFirst()
        .map(b -> statistic.applyAsDouble(variant.name(), b.name()))
        .orElse(Double.NaN);
  }

  /**
   * The variant over the variant it is {@linkplain Scenario#comparedWith(String) compared with}
   * (median of per-round ratios), or NaN when there is none or either did not run.
   */
  double comparison(Variant variant) {
    return scenario
        .comparedWith(variant.name())
        .map(other -> comparison(variant.name(), other))
        .orElse(Double.NaN);
  }

  /**
   * The variant over {@code other} (median of per-round ratios), or NaN when either did not run.
   */
  double comparison(String variant, String other) {
    if (!trials.containsKey(variant) || !trials.containsKey(other)) {
      return Double.NaN;
    }
    return pairedRatio(variant, other);
  }

  /**
   * The median over rounds of {@code variant}'s trial divided by {@code other}'s trial of the same
   * round (warm-up trials are not recorded, so a list's index is its round).
   */
  double pairedRatio(String variant, String other) {
    List<Trial> mine = trials.get(variant);
    List<Trial> theirs = trials.get(other);
    int rounds = Math.min(mine.size(), theirs.size());
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      ratios[round] = mine.get(round).value() / theirs.get(round).value();
    }
    java.util.Arrays.sort(ratios);
    return median(ratios);
  }

  static double median(double[] sorted) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
