package dev.kafkasdk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trials a scenario's child JVM measured, handed back to the parent JVM through a file: one
 * line per trial in round order, {@code variant TAB value TAB unit TAB key=value TAB ...}, figures
 * in {@link Double#toString(double)} form so they read back exactly.
 */
final class ChildTrials {
  private ChildTrials() {}

  static void write(Path file, ScenarioResult result) throws IOException {
    List<String> lines = new ArrayList<>();
    result.trials.forEach(
        (variant, trials) -> {
          for (Trial trial : trials) {
            StringBuilder line = new StringBuilder();
            line.append(variant)
                .append('\t')
                .append(trial.value())
                .append('\t')
                .append(trial.unit());
            new TreeMap<>(trial.extra())
                .forEach((key, figure) -> line.append('\t').append(key).append('=').append(figure));
            lines.add(line.toString());
          }
        });
    Files.write(file, lines);
  }

  /**
   * Reads the trials back into a result of {@code scenario} (the parent's instance, which never
   * prepared or ran anything: it names the variants and the baseline).
   */
  static ScenarioResult read(Path file, Scenario scenario) throws IOException {
    ScenarioResult result = new ScenarioResult(scenario);
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split("\t");
      Map<String, Double> extra = new TreeMap<>();
      for (int i = 3; i < fields.length; i++) {
        int equals = fields[i].lastIndexOf('=');
        extra.put(
            fields[i].substring(0, equals), Double.parseDouble(fields[i].substring(equals + 1)));
      }
      result.add(fields[0], new Trial(Double.parseDouble(fields[1]), fields[2], Map.copyOf(extra)));
    }
    return result;
  }
}
