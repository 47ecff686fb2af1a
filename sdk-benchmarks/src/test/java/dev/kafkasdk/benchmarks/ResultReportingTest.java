package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic and formats that scripts and the docs rely on; no Kafka involved. */
class ResultReportingTest {

  /** A scenario with a measured baseline, two SDK variants, and fixed trials. */
  private static class FixedScenario extends StubScenario {
    FixedScenario() {
      super(
          "fixed",
          List.of(
              new Variant("raw", true, round -> null),
              new Variant("sdk-a", false, round -> null),
              new Variant("sdk-b", false, round -> null)));
    }
  }

  /** The fixed scenario, with sdk-b also compared with sdk-a. */
  private static final class ComparingScenario extends FixedScenario {
    @Override
    public Optional<String> comparedWith(String variant) {
      return variant.equals("sdk-b") ? Optional.of("sdk-a") : Optional.empty();
    }
  }

  @Test
  void aComparedVariantGetsASecondRatioLineAgainstTheOtherVariant() {
    ScenarioResult result = new ScenarioResult(new ComparingScenario());
    result.add("raw", trial(200, 10));
    result.add("sdk-a", trial(100, 10));
    result.add("sdk-b", trial(50, 10));
    assertThat(ResultTable.ratioLines(List.of(result)))
        .containsExactly(
            "ratio fixed/sdk-a 0.500",
            "ratio fixed/sdk-b 0.250",
            "ratio fixed/sdk-b-vs-sdk-a 0.500");
    // Without the other variant's trials there is nothing to compare with.
    ScenarioResult alone = new ScenarioResult(new ComparingScenario());
    alone.add("raw", trial(200, 10));
    alone.add("sdk-b", trial(50, 10));
    assertThat(ResultTable.ratioLines(List.of(alone))).containsExactly("ratio fixed/sdk-b 0.250");
  }

  /** The share-group trials' loss check: a record below the group's position never handled. */
  @Test
  void handledOffsetsFindARecordLostBelowTheGroupsPosition() {
    HandledOffsets handled = new HandledOffsets(new long[] {130, 5});
    for (long offset = 0; offset < 130; offset++) {
      if (offset != 70) {
        assertThat(handled.mark(0, offset)).isTrue();
      }
    }
    assertThat(handled.mark(0, 3)).isFalse(); // a redelivery does not count twice
    handled.mark(1, 0);
    assertThat(handled.distinct()).isEqualTo(130);
    assertThat(handled.missingBelow(Map.of(0, 70L, 1, 1L))).isZero();
    handled.requireNoneLostBelow(Map.of(0, 70L, 1, 1L), "t");
    assertThat(handled.missingBelow(Map.of(0, 71L, 1, 2L))).isEqualTo(2);
    assertThatThrownBy(() -> handled.requireNoneLostBelow(Map.of(0, 130L), "t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("t lost 1 records");
  }

  private static Trial trial(double value, double cpuMs) {
    return new Trial(value, "records/s", Map.of()).withExtra("cpu_ms", cpuMs);
  }

  /**
   * Four rounds; the baseline's rounds 0 and 1 were slow and fast spells that hit the SDK's trial
   * of the same round alike: per-round ratios 0.9, 0.9, 0.5, 0.8.
   */
  private static ScenarioResult result(boolean withB) {
    ScenarioResult result = new ScenarioResult(new FixedScenario());
    for (double v : new double[] {100, 300, 200, 500}) {
      result.add("raw", trial(v, 10));
    }
    for (double v : new double[] {90, 270, 100, 400}) {
      result.add("sdk-a", trial(v, 20));
    }
    if (withB) {
      result.add("sdk-b", trial(400, 30));
    }
    return result;
  }

  @Test
  void ratiosAreTheMedianOfPerRoundRatiosAndTheRatioOfMediansIsKept() {
    ScenarioResult result = result(true);
    assertThat(result.median("raw")).isEqualTo(250); // even count: mean of the middle two
    assertThat(result.median("sdk-a")).isEqualTo(185);
    Variant sdkA = result.variants().get(1);
    // Per round: 90/100, 270/300, 100/200, 400/500 -> median of 0.5, 0.8, 0.9, 0.9.
    assertThat(result.ratio(sdkA)).isCloseTo(0.85, within(1e-9));
    assertThat(result.ratioOfMedians(sdkA)).isCloseTo(185.0 / 250, within(1e-9));
    assertThat(result.ratio(result.variants().get(0))).isNaN();
    assertThat(result.medianExtra("sdk-b", "cpu_ms")).isEqualTo(30);
    // sdk-b ran one round only: it is paired with the baseline's trial of that round.
    assertThat(ResultTable.ratioLines(List.of(result)))
        .containsExactly("ratio fixed/sdk-a 0.850", "ratio fixed/sdk-b 4.000");
  }

  /** The I/O-bound SDK variants' extra lines against the wake-up limit, and the like. */
  @Test
  void everyFurtherComparisonGetsItsOwnPairedLine() {
    Scenario scenario =
        new FixedScenario() {
          @Override
          public List<String> alsoComparedWith(String variant) {
            return variant.equals("sdk-a") ? List.of("sdk-b", "missing") : List.of();
          }
        };
    ScenarioResult result = new ScenarioResult(scenario);
    double[][] rounds = {{100, 50, 100}, {400, 100, 400}, {200, 90, 100}};
    for (double[] round : rounds) {
      result.add("raw", trial(round[0], 1));
      result.add("sdk-a", trial(round[1], 1));
      result.add("sdk-b", trial(round[2], 1));
    }
    // sdk-a / raw per round: 0.5, 0.25, 0.45; sdk-a / sdk-b: 0.5, 0.25, 0.9; sdk-b / raw: 1, 1,
    // 0.5. A variant that did not run ("missing") gets no line.
    assertThat(ResultTable.ratioLines(List.of(result)))
        .containsExactly(
            "ratio fixed/sdk-a 0.450",
            "ratio fixed/sdk-a-vs-sdk-b 0.500",
            "ratio fixed/sdk-b 1.000");
  }

  /**
   * A child JVM's trials come back to the parent exactly, so the parent's lines are the child's.
   */
  @Test
  void trialsHandedBackByAChildJvmReadBackExactly(@TempDir Path dir) throws Exception {
    ScenarioResult measured = result(true);
    measured.add("raw", new Trial(1.0 / 3, "ms (p99)", Map.of("p50_ms", 0.1, "cpu_ns/rec", 7e-9)));
    Path file = dir.resolve("child.tsv");
    ChildTrials.write(file, measured);
    ScenarioResult read = ChildTrials.read(file, new FixedScenario());
    assertThat(read.trials).isEqualTo(measured.trials);
    assertThat(ResultTable.ratioLines(List.of(read)))
        .isEqualTo(ResultTable.ratioLines(List.of(measured)));
  }

  @Test
  void variantsThatDidNotRunAreLeftOutNotFailed() {
    ScenarioResult result = result(false);
    assertThat(result.variants()).extracting(Variant::name).containsExactly("raw", "sdk-a");
    assertThat(ResultTable.ratioLines(List.of(result))).containsExactly("ratio fixed/sdk-a 0.850");
    assertThat(ResultTable.render(List.of(result)))
        .contains("sdk-a")
        .contains("cpu_ms=20.00")
        .doesNotContain("sdk-b");
  }

  @Test
  void theResultsFileCarriesEveryTrialAndTheMedianExtras(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results.json");
    ResultsFile.write(file, List.of(result(true)), new BenchSettings(true, 2));
    String json = Files.readString(file);
    assertThat(json)
        .contains("\"quick\": true")
        .contains("\"description\": \"fixed 'trials'\"")
        .contains("\"name\": \"sdk-a\", \"baseline\": false")
        .contains("\"ratio\": 0.850, \"ratio_of_medians\": 0.740")
        .contains("\"extras\": {\"cpu_ms\": 20.000}")
        .contains("\"trials\": [90.000, 270.000, 100.000, 400.000]");
  }

  @Test
  void consumerThroughputCountsFromTheFirstHandledRecordToTheLast() {
    long second = 1_000_000_000L;
    Trial trial = Trial.consumed(1_001, 2_002, 0, second, 2 * second);
    assertThat(trial.value()).isEqualTo(1_000); // 1,000 intervals between 1,001 records in 1 s
    assertThat(trial.extra()).containsEntry("start_ms", 1_000.0);
    assertThat(trial.extra().get("overall_rec/s")).isEqualTo(500.5);
    assertThat(trial.withExtra("cpu_ms", 5).extra()).containsKeys("cpu_ms", "MB/s", "start_ms");
  }

  @Test
  void aProducerTrialWithALostRecordFails() {
    SendFailures failures = new SendFailures();
    failures.onCompletion(null, null);
    failures.check("t"); // nothing failed
    failures.onCompletion(null, new TimeoutException("Expiring 560 record(s)"));
    assertThatThrownBy(() -> failures.check("t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 sends to t failed")
        .hasMessageContaining("Expiring 560 record(s)");
  }
}
