package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Measured rounds: the rotation, a capped peer in the first rounds only, and round pairing. */
class RoundPlanTest {
  private static final Variant RAW = new Variant("raw", true, round -> null);
  private static final Variant SDK = new Variant("sdk", false, round -> null);
  private static final Variant PEER = new Variant("pc", false, round -> null);

  private static List<String> names(List<Variant> variants) {
    return variants.stream().map(Variant::name).toList();
  }

  @Test
  void everyVariantRunsEveryRoundInARotatingOrderWhenNoneIsCapped() {
    RoundPlan plan = new RoundPlan(List.of(RAW, SDK, PEER), Set.of(), 3);
    assertThat(names(plan.round(0))).containsExactly("raw", "sdk", "pc");
    assertThat(names(plan.round(1))).containsExactly("sdk", "pc", "raw");
    assertThat(names(plan.round(2))).containsExactly("pc", "raw", "sdk");
    assertThat(names(plan.round(6))).containsExactly("raw", "sdk", "pc");
  }

  @Test
  void aCappedPeerRunsInTheFirstRoundsOnlyAndTheOthersKeepTheirRotation() {
    RoundPlan plan = new RoundPlan(List.of(RAW, SDK, PEER), Set.of("pc"), 3);
    assertThat(names(plan.round(2))).containsExactly("pc", "raw", "sdk");
    assertThat(names(plan.round(3))).containsExactly("raw", "sdk");
    assertThat(names(plan.round(4))).containsExactly("sdk", "raw");
    int peerTrials = 0;
    for (int round = 0; round < 7; round++) {
      peerTrials += plan.round(round).contains(PEER) ? 1 : 0;
    }
    assertThat(peerTrials).isEqualTo(3);
  }

  /**
   * A peer with trials in rounds 0-2 only is paired with the other variants' trials of those
   * rounds, not with their later ones: the SDK's rounds 3-6 (ten times faster) change nothing.
   */
  @Test
  void aPeerWithFewerRoundsIsPairedWithTheSameRoundsOfTheOthers() {
    Scenario scenario = new StubScenario("s", List.of(RAW, SDK, PEER));
    ScenarioResult result = new ScenarioResult(scenario);
    RoundPlan plan = new RoundPlan(List.of(RAW, SDK, PEER), Set.of("pc"), 3);
    double[] sdkByRound = {100, 120, 110, 1_000, 1_000, 1_000, 1_000};
    for (int round = 0; round < 7; round++) {
      for (Variant variant : plan.round(round)) {
        double value =
            switch (variant.name()) {
              case "raw" -> 200;
              case "sdk" -> sdkByRound[round];
              default -> 10;
            };
        result.add(variant.name(), new Trial(value, "records/s", Map.of()));
      }
    }
    assertThat(result.trials.get("pc")).hasSize(3);
    assertThat(result.trials.get("sdk")).hasSize(7);
    // Rounds 0-2: 100/10, 120/10, 110/10; the median is 11, not a ratio with a later round's 1,000.
    assertThat(result.pairedRatio("sdk", "pc")).isEqualTo(11.0);
    assertThat(result.ratio(PEER)).isEqualTo(0.05);
  }
}
