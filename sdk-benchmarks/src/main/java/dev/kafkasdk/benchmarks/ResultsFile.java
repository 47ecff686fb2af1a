package dev.kafkasdk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes every trial and median as JSON, for comparing runs with a script. */
final class ResultsFile {
  private ResultsFile() {}

  static void write(Path file, List<ScenarioResult> results, BenchSettings settings)
      throws IOException {
    StringBuilder json = new StringBuilder();
    json.append("{\n");
    json.append("  \"when\": \"").append(Instant.now()).append("\",\n");
    json.append("  \"quick\": ").append(settings.quick()).append(",\n");
    json.append("  \"rounds\": ").append(settings.rounds()).append(",\n");
    json.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
    json.append("  \"java\": \"").append(System.getProperty("java.version")).append("\",\n");
    json.append("  \"scenarios\": [\n");
    json.append(results.stream().map(ResultsFile::scenario).collect(Collectors.joining(",\n")));
    json.append("\n  ]\n}\n");
    Files.writeString(file, json.toString());
  }

  private static String scenario(ScenarioResult result) {
    String variants =
        result.variants().stream()
            .map(
                v ->
                    String.format(
                        Locale.ROOT,
                        "      {\"name\": \"%s\", \"baseline\": %b, \"unit\": \"%s\", \"median\": %s,"
                            + " \"ratio\": %s, \"ratio_of_medians\": %s, \"extras\": {%s}, \"trials\": [%s]}",
                        v.name(),
                        v.baseline(),
                        result.unit(v.name()),
                        number(result.median(v.name())),
                        number(result.ratio(v)),
                        number(result.ratioOfMedians(v)),
                        result.medianExtras(v.name()).entrySet().stream()
                            .map(e -> "\"" + e.getKey() + "\": " + number(e.getValue()))
                            .collect(Collectors.joining(", ")),
                        result.trials.get(v.name()).stream()
                            .map(t -> number(t.value()))
                            .collect(Collectors.joining(", "))))
            .collect(Collectors.joining(",\n"));
    return String.format(
        Locale.ROOT,
        "    {\"name\": \"%s\", \"description\": \"%s\", \"higherIsBetter\": %b, \"variants\": [%n%s%n    ]}",
        result.scenario.name(),
        result.scenario.description().replace("\"", "'"),
        result.scenario.higherIsBetter(),
        variants);
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
  }
}
