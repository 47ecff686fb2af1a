package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one rule that sizes count-based trials (producer and consumer-light). */
class TrialCountTest {
  private static final BenchSettings QUICK = new BenchSettings(true, 2);
  private static final BenchSettings FULL = new BenchSettings(false, 3);

  @Test
  void aFastBaselineGetsAboutASecondOfRecordsAtMostWhatTheTopicHolds() {
    // 1,000,000 records at 7 million/s lasted 145 ms: raised, but the topic holds 3,000,000.
    assertThat(TrialCount.sized(1_000_000, 7_000_000, 1.0, 3_000_000)).isEqualTo(3_000_000);
    assertThat(TrialCount.sized(500_000, 1_234_567.2, 1.0, 1_500_000)).isEqualTo(1_234_568);
    // A slow baseline keeps the configured count; an unmeasured one too.
    assertThat(TrialCount.sized(500_000, 400_000, 1.0, 1_500_000)).isEqualTo(500_000);
    assertThat(TrialCount.sized(500_000, Double.NaN, 1.0, 1_500_000)).isEqualTo(500_000);
    assertThat(TrialCount.sized(500_000, 0, 1.0, 1_500_000)).isEqualTo(500_000);
  }

  @Test
  void warmUpTrialsRunTheConfiguredCountAndMeasuredOnesTheFastestWarmUpRate() {
    TrialCount count = TrialCount.of(QUICK, 1_000_000, 3_000_000);
    assertThat(count.forRound(0)).isEqualTo(1_000_000);
    count.observeBaseline(-1, 1_800_000);
    count.observeBaseline(-1, 2_400_000);
    count.observeBaseline(-1, 2_000_000);
    assertThat(count.forRound(-1)).isEqualTo(1_000_000);
    assertThat(count.forRound(0)).isEqualTo(2_400_000);
    // A measured round's rate must not change the count of the rounds after it: every round runs
    // the same count, so the per-round ratios compare like with like.
    count.observeBaseline(0, 2_900_000);
    assertThat(count.forRound(6)).isEqualTo(2_400_000);
  }

  @Test
  void fullModeKeepsTheConfiguredCount() {
    TrialCount count = TrialCount.of(FULL, 2_000_000, 2_000_000);
    count.observeBaseline(-1, 7_000_000);
    assertThat(count.forRound(3)).isEqualTo(2_000_000);
  }

  @Test
  void theTopicMustHoldAtLeastTheConfiguredCount() {
    assertThatThrownBy(() -> new TrialCount(1_000_000, 999_999, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quickScenariosFillAndSizeFromTheSameRule() {
    // The light topic holds three times the configured count in quick mode, so the rule has room.
    assertThat(new LightConsumerScenario(null, QUICK).description())
        .startsWith("1,000,000 records")
        .contains("up to 3,000,000");
    assertThat(new ProducerScenario(null, QUICK, false).description())
        .startsWith("500,000 records")
        .contains("more if the raw producer's warm-up trial lasted under a second");
    assertThat(new LightConsumerScenario(null, FULL).description())
        .startsWith("2,000,000 records")
        .doesNotContain("up to");
    assertThat(TrialCount.of(QUICK, 1, 1).raises()).isTrue();
    assertThat(TrialCount.of(FULL, 1, 1).raises()).isFalse();
  }
}
