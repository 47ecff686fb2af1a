package dev.kafkasdk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Formats medians and ratios as a plain-text table and as {@code ratio} lines for scripts. A ratio
 * against a measured variant is the median of per-round ratios ({@link
 * ScenarioResult#pairedRatio(String, String)}); against a computed baseline, median / that figure.
 */
final class ResultTable {
  private ResultTable() {}

  static String render(List<ScenarioResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-16s %-28s %16s %-10s %10s %s%n",
            "scenario",
            "variant",
            "median",
            "unit",
            "ratio",
            "extra (medians)"));
    for (ScenarioResult result : results) {
      for (Variant variant : result.variants()) {
        double ratio = result.ratio(variant);
        String extra =
            result.medianExtras(variant.name()).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(" "));
        out.append(
            String.format(
                Locale.ROOT,
                "%-16s %-28s %16.1f %-10s %10s %s%n",
                result.scenario.name(),
                variant.name() + (variant.baseline() ? " (baseline)" : ""),
                result.median(variant.name()),
                result.unit(variant.name()),
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3f", ratio),
                extra));
      }
    }
    return out.toString();
  }

  static List<String> ratioLines(List<ScenarioResult> results) {
    List<String> lines = new ArrayList<>();
    for (ScenarioResult result : results) {
      for (Variant variant : result.variants()) {
        double ratio = result.ratio(variant);
        if (!Double.isNaN(ratio)) {
          lines.add(
              String.format(
                  Locale.ROOT, "ratio %s/%s %.3f", result.scenario.name(), variant.name(), ratio));
        }
        double comparison = result.comparison(variant);
        if (!Double.isNaN(comparison)) {
          lines.add(
              versusLine(
                  result,
                  variant,
                  result.scenario.comparedWith(variant.name()).orElseThrow(),
                  comparison));
        }
        for (String other : result.scenario.alsoComparedWith(variant.name())) {
          double also = result.comparison(variant.name(), other);
          if (!Double.isNaN(also)) {
            lines.add(versusLine(result, variant, other, also));
          }
        }
      }
    }
    return lines;
  }

  /** A {@code ratio <scenario>/<variant>-vs-<other> <x>} line. */
  private static String versusLine(
      ScenarioResult result, Variant variant, String other, double ratio) {
    return String.format(
        Locale.ROOT,
        "ratio %s/%s-vs-%s %.3f",
        result.scenario.name(),
        variant.name(),
        other,
        ratio);
  }
}
