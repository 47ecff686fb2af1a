package dev.kafkasdk.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the ratio lines of several runs ({@code --compare-runs DIR1 DIR2 DIR3}): per line the
 * runs' values, their spread, and whether they agree within the line's {@linkplain Criterion
 * criterion}, then how many lines do.
 *
 * <p>A run is a results directory (its {@code results-quick.txt}, else {@code results.txt}), or one
 * of those files, or the {@code results[-quick].json} beside it: the text file holds every {@code
 * ratio} line, the {@code -vs-} lines included, which the JSON file does not.
 */
final class RunComparison {
  /** Lines whose middle value is at least this use the relative criterion. */
  static final double RELATIVE_FROM = 10;

  /** Half the allowed spread of a line near 1: within +-0.1 of the middle. */
  static final double ABSOLUTE = 0.1;

  /** Half the allowed spread of a line in the tens or more, as a fraction of the middle. */
  static final double RELATIVE = 0.10;

  private RunComparison() {}

  /** How far apart a line's values may be and still agree. */
  enum Criterion {
    /**
     * Within +-0.1 of the middle of the values (spread at most 0.2): for ratios near 1, where 0.1
     * is a tenth of the whole.
     */
    ABSOLUTE("+-0.1"),
    /**
     * Within +-10 % of the middle (spread at most a fifth of it): for ratios of 10 or more, such as
     * the light SDK runners against Parallel Consumer (840-3,243 on 2026-12-07), where +-0.1 would
     * ask for four significant digits of a peer's ramp-up.
     */
    RELATIVE("+-10%");

    private final String label;

    Criterion(String label) {
      this.label = label;
    }

    /** For ratios whose middle is below {@link #RELATIVE_FROM}, absolute; else relative. */
    static Criterion of(double middle) {
      return Math.abs(middle) >= RELATIVE_FROM ? RELATIVE : ABSOLUTE;
    }

    /** Whether values spanning {@code min}..{@code max} agree. */
    boolean within(double min, double max) {
      double half = (max - min) / 2;
      double allowed =
          this == ABSOLUTE ? RunComparison.ABSOLUTE : RunComparison.RELATIVE * Math.abs(min + half);
      // The lines are printed with three decimals: allow for the rounding of 0.2 exactly.
      return half <= allowed + 1e-9;
    }
  }

  /**
   * One ratio line across the runs.
   *
   * @param name e.g. {@code producer/sdk-idempotent}
   * @param values one per run, NaN where a run has no such line
   */
  record Line(String name, List<Double> values) {

    boolean complete() {
      return values.stream().noneMatch(v -> v.isNaN());
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    double spread() {
      return max() - min();
    }

    Criterion criterion() {
      return Criterion.of((min() + max()) / 2);
    }

    /** Complete and within its criterion. */
    boolean within() {
      return complete() && criterion().within(min(), max());
    }
  }

  /**
   * Prints the comparison of {@code runs} to {@code out}.
   *
   * @return the lines, for tests
   * @throws IOException if a run's ratio file cannot be read
   */
  static List<Line> print(List<Path> runs, PrintStream out) throws IOException {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("--compare-runs needs two or more runs, got " + runs);
    }
    List<Map<String, Double>> ratios = new ArrayList<>();
    for (Path run : runs) {
      Path file = ratioFile(run);
      out.println("run " + (ratios.size() + 1) + ": " + file);
      ratios.add(ratios(Files.readAllLines(file)));
    }
    List<Line> lines = lines(ratios);
    lines.forEach(line -> out.println(format(line)));
    out.println(summary(lines));
    return lines;
  }

  /** The text file holding a run's ratio lines. */
  static Path ratioFile(Path run) {
    if (Files.isDirectory(run)) {
      Path quick = run.resolve("results-quick.txt");
      return Files.exists(quick) ? quick : run.resolve("results.txt");
    }
    String name = run.getFileName().toString();
    return name.endsWith(".json")
        ? run.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".txt")
        : run;
  }

  /** The {@code ratio <name> <x>} lines of a results text file, by name. */
  static Map<String, Double> ratios(List<String> text) {
    Map<String, Double> ratios = new TreeMap<>();
    for (String line : text) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 3 && words[0].equals("ratio")) {
        ratios.put(words[1], Double.parseDouble(words[2]));
      }
    }
    return ratios;
  }

  /** Every line any run has, sorted by name. */
  static List<Line> lines(List<Map<String, Double>> runs) {
    TreeSet<String> names = new TreeSet<>();
    runs.forEach(run -> names.addAll(run.keySet()));
    List<Line> lines = new ArrayList<>();
    for (String name : names) {
      lines.add(new Line(name, runs.stream().map(r -> r.getOrDefault(name, Double.NaN)).toList()));
    }
    return lines;
  }

  /** {@code name v1 v2 v3 spread s +-0.1 ok|OUT|missing}. */
  static String format(Line line) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-62s", line.name()));
    for (double value : line.values()) {
      text.append(Double.isNaN(value) ? "         -" : String.format(Locale.ROOT, " %9.3f", value));
    }
    if (!line.complete()) {
      return text.append("  missing in a run").toString();
    }
    return text.append(
            String.format(
                Locale.ROOT,
                "  spread %.3f  %-5s  %s",
                line.spread(),
                line.criterion().label,
                line.within() ? "ok" : "OUT"))
        .toString();
  }

  /** {@code N of M lines within their criterion (...)}. */
  static String summary(List<Line> lines) {
    long within = lines.stream().filter(Line::within).count();
    long missing = lines.stream().filter(l -> !l.complete()).count();
    return String.format(
        Locale.ROOT,
        "%d of %d lines within their criterion (+-0.1 below %.0f, +-10%% from it)%s",
        within,
        lines.size(),
        RELATIVE_FROM,
        missing > 0 ? "; " + missing + " missing in a run" : "");
  }
}
