package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkasdk.cli.internal.ExitCode;
import org.junit.jupiter.api.Test;

/** {@code ksdk topics plan}: pure arithmetic, no cluster. */
class TopicsPlanCommandTest {
  private final InProcessKsdk ksdk = InProcessKsdk.plain();

  @Test
  void recommendsPartitionsFromTheRates() {
    CliResult result =
        ksdk.run("topics", "plan", "--producer-rate", "1000", "--consumer-rate", "100");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
    // 1000/s x 1.2 headroom / 100/s per consumer = 12
    assertThat(result.out())
        .contains("recommended partitions:  12")
        .contains("feasible:                yes")
        .contains("spec file line: partitions=12");
  }

  @Test
  void jsonCarriesThePlanAndAKeyedTopicGetsItsGrowth() {
    CliResult result =
        ksdk.run(
            "topics",
            "plan",
            "--producer-rate",
            "1000",
            "--measured",
            "6000/60s",
            "--keyed",
            "--output",
            "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
    JsonNode plan = result.json();
    assertThat(plan.get("inputs").get("consumerRate").asDouble()).isEqualTo(100.0);
    assertThat(plan.get("minimumPartitions").asInt()).isEqualTo(12);
    assertThat(plan.get("recommendedPartitions").asInt()).isEqualTo(24);
    assertThat(plan.get("feasible").asBoolean()).isTrue();
    assertThat(result.err()).isEmpty();
  }

  @Test
  void tooFewAllowedConsumersIsAConditionNotMet() {
    CliResult result =
        ksdk.run(
            "topics",
            "plan",
            "--producer-rate",
            "1000",
            "--consumer-rate",
            "100",
            "--max-consumers",
            "5",
            "-o",
            "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(result.json().get("feasible").asBoolean()).isFalse();
  }

  @Test
  void badOrMissingInputsAreUsageErrors() {
    assertThat(ksdk.run("topics", "plan", "--consumer-rate", "100").exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(ksdk.run("topics", "plan", "--producer-rate", "1000").exitCode())
        .as("neither --consumer-rate nor --measured")
        .isEqualTo(ExitCode.USAGE);
    CliResult bad = ksdk.run("topics", "plan", "--producer-rate", "1000", "--measured", "lots/60s");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("ksdk: error: --measured lots/60s").doesNotContain("\tat ");
    CliResult headroom =
        ksdk.run(
            "topics",
            "plan",
            "--producer-rate",
            "1000",
            "--consumer-rate",
            "100",
            "--headroom",
            "0.5");
    assertThat(headroom.exitCode()).as(headroom.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(headroom.err()).contains("headroom");
  }
}
