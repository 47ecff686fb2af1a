package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every scenario for the SDK and for a hand-written kafka-clients baseline with identical
 * settings, alternating them round by round, and prints medians and SDK/baseline ratios.
 *
 * <pre>
 * mvn -B -q -Pbench -pl sdk-benchmarks -am package -Dbench.args="--quick"
 * </pre>
 *
 * <p>Options: {@code --quick} (small counts, about 4 minutes), {@code --rounds N}, {@code --only
 * a,b} (scenarios), {@code --variants x,y} (the SDK variants to run; baselines always run), {@code
 * --out DIR} (default {@code docs/benchmarks}), {@code --bootstrap host:port} (an external cluster
 * instead of the embedded one).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /**
   * Entry point.
   *
   * @param args see the class comment
   * @throws Exception if a scenario fails
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    Set<String> only = Set.of();
    Set<String> variants = Set.of();
    Path out = Path.of("docs", "benchmarks");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--only" -> only = Set.copyOf(Arrays.asList(args[++i].split(",")));
        case "--variants" -> variants = Set.copyOf(Arrays.asList(args[++i].split(",")));
        case "--out" -> out = Path.of(args[++i]);
        case "--bootstrap" -> System.setProperty(KafkaCluster.BOOTSTRAP_PROPERTY, args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    BenchSettings settings = new BenchSettings(quick, rounds > 0 ? rounds : quick ? 2 : 3);
    long started = System.nanoTime();
    Progress.say(
        "benchmarks: %s mode, %d rounds, %d cores, max heap %d MB",
        quick ? "quick" : "full",
        settings.rounds(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    List<ScenarioResult> results = new ArrayList<>();
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      Progress.say("cluster: %s at %s", kafka.backend(), kafka.bootstrapServers());
      for (Scenario scenario : Scenarios.all(kafka, settings)) {
        if (!only.isEmpty() && !only.contains(scenario.name())) {
          continue;
        }
        results.add(run(scenario, settings, variants));
      }
    }
    String table = ResultTable.render(results);
    System.out.println();
    System.out.println(table);
    List<String> ratios = ResultTable.ratioLines(results);
    ratios.forEach(System.out::println);
    Files.createDirectories(out);
    String suffix = quick ? "-quick" : "";
    ResultsFile.write(out.resolve("results" + suffix + ".json"), results, settings);
    Files.writeString(
        out.resolve("results" + suffix + ".txt"),
        table + "\n" + ratios.stream().collect(Collectors.joining("\n")) + "\n");
    ThroughputChart.write(out.resolve("throughput-vs-workers" + suffix + ".png"), results);
    Progress.say(
        "done in %d s; results in %s", (System.nanoTime() - started) / 1_000_000_000L, out);
  }

  private static ScenarioResult run(Scenario scenario, BenchSettings settings, Set<String> selected)
      throws Exception {
    Progress.say("scenario %s: %s", scenario.name(), scenario.description());
    scenario.prepare();
    ScenarioResult result = new ScenarioResult(scenario);
    List<Variant> variants =
        scenario.variants().stream()
            .filter(v -> v.baseline() || selected.isEmpty() || selected.contains(v.name()))
            .toList();
    if (scenario.warmUp()) {
      for (Variant variant : variants) {
        Trial trial = variant.run().run(-1);
        Progress.say("  warm-up %-28s %,14.1f %s", variant.name(), trial.value(), trial.unit());
      }
    }
    int rounds = scenario.rounds(settings);
    for (int round = 0; round < rounds; round++) {
      // Rotate the order each round so no variant always runs first (cold) or last (warm).
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((i + round) % variants.size());
        // Start every trial from a collected heap: otherwise a young collection left over from the
        // previous variant (tens of ms on this machine) lands in whichever trial comes next.
        System.gc();
        long cpuBefore = CpuClock.processNanos();
        Trial trial = variant.run().run(round);
        // The whole trial's CPU (client start-up and close included) of the whole JVM, broker too:
        // less noisy than throughput on a small machine, and what the SDK's extra threads cost.
        trial = trial.withExtra("cpu_ms", (CpuClock.processNanos() - cpuBefore) / 1e6);
        result.add(variant.name(), trial);
        Progress.say(
            "  round %d %-28s %,14.1f %s", round + 1, variant.name(), trial.value(), trial.unit());
      }
    }
    return result;
  }
}
