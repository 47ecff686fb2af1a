package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --compare-runs}: ratio lines of several runs side by side, each against its criterion. */
class RunComparisonTest {

  private static RunComparison.Line line(double... values) {
    return new RunComparison.Line("s/v", java.util.Arrays.stream(values).boxed().toList());
  }

  @Test
  void linesNearOneMustAgreeWithinAbsoluteTenth() {
    // Figures of the three quiet quick runs of 2026-12-07 (quick-stability-2026-12-07.txt).
    assertThat(line(0.645, 0.488, 0.515).within()).isTrue(); // spread 0.157
    assertThat(line(0.865, 0.748, 0.629).within()).isFalse(); // spread 0.236
    assertThat(line(0.408, 0.455, 0.510).within()).isTrue(); // spread 0.102
    assertThat(line(0.500, 0.700, 0.600).within()).isTrue(); // exactly +-0.1
    assertThat(line(0.500, 0.701, 0.600).within()).isFalse();
    assertThat(line(2.494, 2.964, 2.185).criterion()).isEqualTo(RunComparison.Criterion.ABSOLUTE);
  }

  @Test
  void linesInTheThousandsMustAgreeWithinTenPercentOfTheirMiddle() {
    RunComparison.Line pc = line(2094.010, 1705.092, 2189.783);
    assertThat(pc.criterion()).isEqualTo(RunComparison.Criterion.RELATIVE);
    assertThat(pc.within()).isFalse(); // +-12.4 % of 1,947
    assertThat(line(2839.081, 2680.810, 3242.649).within()).isTrue(); // +-9.5 % of 2,962
    assertThat(line(1000, 1100, 1050).within()).isTrue(); // +-4.8 %
    assertThat(line(900, 1100, 1000).within()).isTrue(); // exactly +-10 %
    assertThat(line(899, 1100, 1000).within()).isFalse();
    // 10 is where the relative criterion starts: 9.0-10.9 is +-0.95, not within +-0.1 ...
    assertThat(line(9.0, 10.9).criterion()).isEqualTo(RunComparison.Criterion.ABSOLUTE);
    // ... and 10-12 is within +-10 % of 11.
    assertThat(line(10.0, 12.0).within()).isTrue();
  }

  @Test
  void aLineMissingFromARunIsNotWithin() {
    List<RunComparison.Line> lines =
        RunComparison.lines(
            List.of(Map.of("a/x", 1.0, "a/y", 0.5), Map.of("a/x", 1.05), Map.of("a/x", 0.98)));
    assertThat(lines).extracting(RunComparison.Line::name).containsExactly("a/x", "a/y");
    assertThat(lines.get(0).within()).isTrue();
    assertThat(lines.get(1).complete()).isFalse();
    assertThat(lines.get(1).within()).isFalse();
    assertThat(RunComparison.format(lines.get(1))).contains("missing in a run");
    assertThat(RunComparison.summary(lines))
        .startsWith("1 of 2 lines within their criterion")
        .endsWith("1 missing in a run");
  }

  @Test
  void readsTheRatioLinesOfEachRunAndCountsTheLinesWithin(@TempDir Path dir) throws Exception {
    Path one = run(dir, "one", "results-quick.txt", 0.84, 2094.0);
    Path two = run(dir, "two", "results-quick.txt", 1.05, 1705.0);
    Path three = run(dir, "three", "results.txt", 0.81, 2190.0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<RunComparison.Line> lines =
        RunComparison.print(
            List.of(one, two.resolve("results-quick.json"), three.resolve("results.txt")),
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(lines)
        .extracting(RunComparison.Line::name)
        .containsExactly(
            "consumer-light/multi-worker-key-vs-pc-key", "latency/sdk", "producer/sdk-idempotent");
    assertThat(out)
        .contains("run 1: " + one.resolve("results-quick.txt"))
        .contains("run 2: " + two.resolve("results-quick.txt"))
        .contains("run 3: " + three.resolve("results.txt"))
        .containsPattern(
            "producer/sdk-idempotent +0\\.840 +1\\.050 +0\\.810  spread 0\\.240  \\+-0\\.1 +OUT")
        .containsPattern("multi-worker-key-vs-pc-key +2094\\.000 .*spread 485\\.000  \\+-10% +OUT")
        .containsPattern("latency/sdk +1\\.020 +1\\.020 +1\\.020  spread 0\\.000  \\+-0\\.1 +ok")
        .contains("1 of 3 lines within their criterion");
  }

  @Test
  void needsTwoRuns() {
    assertThatThrownBy(() -> RunComparison.print(List.of(Path.of("x")), System.out))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A results directory whose table is followed by ratio lines, as BenchmarkMain writes it. */
  private static Path run(Path dir, String name, String file, double producer, double pc)
      throws Exception {
    Path run = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        run.resolve(file),
        String.join(
            "\n",
            "scenario  variant  median",
            "producer  raw-idempotent  640,210.0 records/s",
            String.format(java.util.Locale.ROOT, "ratio producer/sdk-idempotent %.3f", producer),
            String.format(
                java.util.Locale.ROOT, "ratio consumer-light/multi-worker-key-vs-pc-key %.3f", pc),
            "ratio latency/sdk 1.020",
            ""));
    return run;
  }
}
