package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * <p>Each scenario runs in a child JVM of its own (same class path, same JVM options, e.g. {@code
 * -Xmx2g}) with its own embedded broker, so no scenario inherits another's JIT state, heap, broker
 * logs or leftover threads; this JVM only merges the children's trials and prints the results.
 *
 * <p>Options: {@code --quick} (smaller counts and the comparison scenarios only, about 7 minutes),
 * {@code --rounds N}, {@code --only a,b} (scenarios), {@code --variants x,y} (the SDK variants to
 * run; baselines always run), {@code --out DIR} (default {@code docs/benchmarks}), {@code
 * --bootstrap host:port} (an external cluster instead of the embedded one), {@code --same-jvm}
 * (every scenario in this JVM, as before child JVMs; for debugging), {@code --jfr DIR} (each child
 * JVM records a flight recording to {@code DIR/<scenario>.jfr}, warm-up and every variant included,
 * so tell variants apart by thread name), {@code --jfr-settings NAME_OR_FILE} (its settings;
 * default {@code profile}; thread parks are recorded at any length, since the profile's 10 ms
 * threshold hides the short waits of a light handler and the wake-ups of 1,000 workers). {@code
 * --compare-runs DIR1 DIR2 DIR3} runs nothing: it prints every ratio line of those runs side by
 * side and whether each agrees within its criterion ({@link RunComparison}).
 */
public final class BenchmarkMain {
  /** Two warm-up trials of a variant within this fraction of each other count as steady. */
  static final double STEADY = 0.10;

  /**
   * Cap on warm-up passes (full mode; quick mode one fewer), so a variant that never settles, e.g.
   * on a machine shared with other work, costs a bounded time.
   */
  static final int MAX_WARM_UP_PASSES = 4;

  private BenchmarkMain() {}

  /**
   * Entry point.
   *
   * @param args see the class comment
   * @throws Exception if a scenario fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--compare-runs")) {
      // Reads earlier runs' results; runs nothing.
      RunComparison.print(Arrays.stream(args).skip(1).map(Path::of).toList(), System.out);
      return;
    }
    boolean quick = false;
    boolean sameJvm = false;
    int rounds = -1;
    Set<String> only = Set.of();
    Set<String> variants = Set.of();
    Path out = Path.of("docs", "benchmarks");
    Path childFile = null;
    Path jfr = null;
    String jfrSettings = "profile";
    List<String> forwarded = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {
          quick = true;
          forwarded.add(args[i]);
        }
        case "--rounds" -> {
          rounds = Integer.parseInt(args[++i]);
          forwarded.addAll(List.of("--rounds", args[i]));
        }
        case "--only" -> only = Set.copyOf(Arrays.asList(args[++i].split(",")));
        case "--variants" -> {
          variants = Set.copyOf(Arrays.asList(args[++i].split(",")));
          forwarded.addAll(List.of("--variants", args[i]));
        }
        case "--out" -> out = Path.of(args[++i]);
        case "--bootstrap" -> {
          System.setProperty(KafkaCluster.BOOTSTRAP_PROPERTY, args[++i]);
          forwarded.addAll(List.of("--bootstrap", args[i]));
        }
        case "--same-jvm" -> sameJvm = true;
        case "--child" -> childFile = Path.of(args[++i]);
        case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
        case "--jfr-settings" -> jfrSettings = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    BenchSettings settings = new BenchSettings(quick, rounds > 0 ? rounds : quick ? 2 : 3);
    if (childFile != null) {
      runInThisJvm(settings, only, variants, childFile);
      return;
    }
    long started = System.nanoTime();
    Progress.say(
        "benchmarks: %s mode, %d rounds, %d cores, max heap %d MB, %s",
        quick ? "quick" : "full",
        settings.rounds(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        sameJvm ? "one JVM" : "a child JVM per scenario");
    List<ScenarioResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    if (sameJvm) {
      try (KafkaCluster kafka = ScratchTopics.promptDeletion(KafkaCluster.builder()).start()) {
        Progress.say("cluster: %s at %s", kafka.backend(), kafka.bootstrapServers());
        for (Scenario scenario : Scenarios.all(kafka, settings)) {
          if (selected(scenario, only, quick)) {
            results.add(run(scenario, settings, variants));
          }
        }
      }
    } else {
      // The parent's scenarios never prepare or run: they only name variants and baselines.
      for (Scenario scenario : Scenarios.all(null, settings)) {
        if (selected(scenario, only, quick)) {
          try {
            results.add(runInChildJvm(scenario, forwarded, jfr, jfrSettings));
          } catch (IllegalStateException e) {
            // One failed scenario must not throw away the others' minutes of trials: report them,
            // then fail the run.
            Progress.say("scenario %s FAILED: %s", scenario.name(), e.getMessage());
            failed.add(scenario.name());
          }
        }
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
    if (!failed.isEmpty()) {
      throw new IllegalStateException("scenarios failed (see their output above): " + failed);
    }
  }

  /**
   * Runs one scenario in a fresh JVM: this JVM's class path and options (heap size, any {@code -XX}
   * flag such as a flight recording), {@code --child FILE --only NAME} and the forwarded options;
   * its progress lines go to this JVM's stderr, its trials come back through {@link ChildTrials}.
   */
  private static ScenarioResult runInChildJvm(
      Scenario scenario, List<String> forwarded, Path jfr, String jfrSettings) throws Exception {
    Path file = Files.createTempFile("bench-" + scenario.name() + "-", ".tsv");
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      if (jfr != null) {
        // One file per scenario: a recording given in the parent's options would be overwritten
        // by every child.
        Files.createDirectories(jfr);
        command.add(
            "-XX:StartFlightRecording=settings="
                + jfrSettings
                // Every park, however short: counting wake-ups per record needs them all.
                + ",jdk.ThreadPark#threshold=0ms,filename="
                + jfr.resolve(scenario.name() + ".jfr"));
      }
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              BenchmarkMain.class.getName(),
              "--child",
              file.toString(),
              "--only",
              scenario.name()));
      command.addAll(forwarded);
      long started = System.nanoTime();
      Process child = new ProcessBuilder(command).inheritIO().start();
      // A run stopped with Ctrl-C or kill must not leave its child measuring on.
      Thread stopChild = new Thread(child::destroyForcibly, "stop-" + scenario.name());
      Runtime.getRuntime().addShutdownHook(stopChild);
      int exit = child.waitFor();
      Runtime.getRuntime().removeShutdownHook(stopChild);
      if (exit != 0) {
        throw new IllegalStateException(
            "scenario " + scenario.name() + ": child JVM exited with " + exit);
      }
      Progress.say(
          "scenario %s: child JVM took %d s",
          scenario.name(), (System.nanoTime() - started) / 1_000_000_000L);
      return ChildTrials.read(file, scenario);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The child JVM's part: its own cluster, the selected scenario(s), trials written to a file. */
  private static void runInThisJvm(
      BenchSettings settings, Set<String> only, Set<String> variants, Path file) throws Exception {
    try (KafkaCluster kafka = ScratchTopics.promptDeletion(KafkaCluster.builder()).start()) {
      for (Scenario scenario : Scenarios.all(kafka, settings)) {
        if (selected(scenario, only, settings.quick())) {
          ChildTrials.write(file, run(scenario, settings, variants));
        }
      }
    }
  }

  /** Whether the run includes {@code scenario}: named by {@code --only}, or by default. */
  static boolean selected(Scenario scenario, Set<String> only, boolean quick) {
    if (!only.isEmpty()) {
      return only.contains(scenario.name());
    }
    return !quick || scenario.inQuickRun();
  }

  /**
   * Whether a variant runs: every one when {@code --variants} names none, but in a quick run not
   * those the scenario {@linkplain Scenario#quickOnlyWhenNamed(String) keeps for when named}.
   */
  static boolean selected(Scenario scenario, Variant variant, Set<String> named, boolean quick) {
    return named.isEmpty()
        ? !(quick && scenario.quickOnlyWhenNamed(variant.name()))
        : named.contains(variant.name());
  }

  private static ScenarioResult run(Scenario scenario, BenchSettings settings, Set<String> selected)
      throws Exception {
    Progress.say("scenario %s: %s", scenario.name(), scenario.description());
    long phase = System.nanoTime();
    scenario.prepare();
    phase = phaseTook(scenario, "prepare", phase);
    ScenarioResult result = new ScenarioResult(scenario);
    List<Variant> variants =
        scenario.variants().stream()
            .filter(v -> v.baseline() || selected(scenario, v, selected, settings.quick()))
            .toList();
    Set<String> capped = Set.of();
    if (scenario.warmUp()) {
      capped =
          warmUp(
              variants,
              scenario.steadyWarmUp()
                  ? settings.pick(MAX_WARM_UP_PASSES, MAX_WARM_UP_PASSES - 1)
                  : 1);
    }
    phase = phaseTook(scenario, "warm-up", phase);
    int rounds = scenario.rounds(settings);
    RoundPlan plan =
        new RoundPlan(variants, capped, settings.pick(rounds, RoundPlan.CAPPED_PEER_QUICK_ROUNDS));
    for (int round = 0; round < rounds; round++) {
      for (Variant variant : plan.round(round)) {
        // Start every trial from a collected heap: otherwise a young collection left over from the
        // previous variant (tens of ms on this machine) lands in whichever trial comes next.
        System.gc();
        long cpuBefore = CpuClock.processNanos();
        long wallBefore = System.nanoTime();
        Trial trial = variant.run().run(round);
        long wallMs = (System.nanoTime() - wallBefore) / 1_000_000;
        // The whole trial's CPU (client start-up and close included) of the whole JVM, broker too:
        // less noisy than throughput on a small machine, and what the SDK's extra threads cost.
        trial = trial.withExtra("cpu_ms", (CpuClock.processNanos() - cpuBefore) / 1e6);
        result.add(variant.name(), trial);
        Progress.say(
            "  round %d %-28s %,14.1f %s (%,d ms)",
            round + 1, variant.name(), trial.value(), trial.unit(), wallMs);
      }
    }
    phaseTook(scenario, "rounds", phase);
    return result;
  }

  /**
   * Prints how long a phase of a scenario took (where a quick run's minutes go) and returns now.
   */
  private static long phaseTook(Scenario scenario, String phase, long since) {
    long now = System.nanoTime();
    Progress.say("scenario %s: %s took %,d ms", scenario.name(), phase, (now - since) / 1_000_000);
    return now;
  }

  /**
   * Untimed warm-up passes over every variant until each variant's last two warm-up trials agree
   * within {@link #STEADY} (at least two passes, at most {@code maxPasses}): one pass left the
   * first measured rounds of a fresh JVM still compiling. A variant whose warm-up trial stopped at
   * its time cap (extra {@code capped} 1: a peer far slower than the SDK) warms up once only.
   *
   * @return the names of the variants whose warm-up trial stopped at its time cap
   */
  static Set<String> warmUp(List<Variant> variants, int maxPasses) throws Exception {
    Map<String, Double> last = new HashMap<>();
    Set<String> capped = new HashSet<>();
    for (int pass = 1; pass <= maxPasses; pass++) {
      boolean steady = pass > 1;
      for (Variant variant : variants) {
        if (capped.contains(variant.name())) {
          // Its trials last as long as their cap whatever the pass, and its rate at the cap is a
          // peer's ramp-up (Parallel Consumer's light trials: 1,000-2,500 records/s), which more
          // passes do not settle; each pass cost 2 s or more per such peer.
          continue;
        }
        System.gc();
        long wallBefore = System.nanoTime();
        Trial trial = variant.run().run(-1);
        long wallMs = (System.nanoTime() - wallBefore) / 1_000_000;
        if (trial.extra().getOrDefault("capped", 0.0) > 0) {
          capped.add(variant.name());
        }
        Double previous = last.put(variant.name(), trial.value());
        boolean agrees = previous != null && Math.abs(trial.value() / previous - 1) <= STEADY;
        steady &= agrees;
        Progress.say(
            "  warm-up %d %-26s %,14.1f %s (%,d ms)%s",
            pass, variant.name(), trial.value(), trial.unit(), wallMs, agrees ? " (steady)" : "");
      }
      if (steady) {
        return capped;
      }
    }
    return capped;
  }
}
