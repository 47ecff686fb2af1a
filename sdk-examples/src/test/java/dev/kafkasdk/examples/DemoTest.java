package dev.kafkasdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@KafkaTest
class DemoTest {

  @ParameterizedTest
  @EnumSource(Ordering.class)
  void processesEveryOrderOnceDeadLettersThePoisonAndEndsWithTheSixSummaryLines(
      Ordering ordering, KafkaCluster kafka) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoOptions options = new DemoOptions(1500, 3, 4, ordering, 3, 30, 4, Optional.empty());

    DemoSummary summary =
        Demo.run(kafka, options, new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertThat(summary.produced()).isEqualTo(1500);
    assertThat(summary.processed()).isEqualTo(1500);
    assertThat(summary.poison()).isEqualTo(4);
    assertThat(summary.deadLettered()).isEqualTo(4);
    assertThat(summary.validDeadLettered()).isZero();
    assertThat(summary.duplicates()).isZero();
    assertThat(summary.lost()).isZero();
    if (ordering != Ordering.UNORDERED) {
      assertThat(summary.orderViolations()).isZero();
    }
    assertThat(summary.passed()).isTrue();

    List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.subList(lines.size() - 6, lines.size()))
        .containsExactly(
            "produced: 1500",
            "processed: 1500",
            "dead-lettered: 4",
            "duplicates: 0",
            "order violations: " + summary.orderViolations(),
            "lost: 0");
    assertThat(lines)
        .anyMatch(line -> line.matches("\\[ *[0-9.]+s] produced \\d+ +processed \\d+ .*"))
        .contains(
            "read back (read_committed): 1504 input records, 1500 result records, 4 dead letters",
            "dead letters: 4 poison records injected, 4 dead-lettered, 0 of them valid orders");
    assertThat(new String(buffer.toByteArray(), StandardCharsets.UTF_8))
        .doesNotContain("runner failed");
  }

  @Test
  void aSummaryWithALostOrderAnOrderViolationOrWrongDeadLettersFails() {
    Duration took = Duration.ofSeconds(1);
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 2, 2, 0, 0, 0, 0, took).passed()).isTrue();
    assertThat(new DemoSummary(Ordering.KEY, 10, 9, 2, 2, 0, 0, 0, 1, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 2, 2, 0, 1, 0, 0, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 2, 2, 0, 0, 1, 0, took).passed()).isFalse();
    // A poison record missing from the dead-letter topic, and a valid order in it.
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 1, 2, 0, 0, 0, 0, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.KEY, 10, 9, 3, 2, 1, 0, 0, 0, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.UNORDERED, 10, 10, 0, 0, 0, 0, 3, 0, took).passed())
        .isTrue();
  }

  @Test
  void parsesOptionsOverTheDefaults() {
    DemoOptions options =
        DemoOptions.parse("--records", "500", "--ordering", "unordered", "--workers", "2");
    assertThat(options)
        .isEqualTo(new DemoOptions(500, 4, 2, Ordering.UNORDERED, 6, 200, 5, Optional.empty()));
    assertThat(DemoOptions.parse("--poison", "3").poison()).isEqualTo(3);
    assertThat(DemoOptions.parse("--poison", "0").poison()).isZero();
    assertThat(DemoOptions.parse("--bootstrap", "kafka:9092").bootstrap()).hasValue("kafka:9092");
    assertThatThrownBy(() -> DemoOptions.parse("--records")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--records", "0"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> DemoOptions.parse("--poison", "-1"))
        .hasMessageContaining("at least 0");
    assertThatThrownBy(() -> DemoOptions.parse("--poisons", "3"))
        .hasMessageContaining("unknown option");
  }
}
