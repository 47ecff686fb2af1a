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
  void processesEveryOrderOnceAndEndsWithTheSixSummaryLines(Ordering ordering, KafkaCluster kafka)
      throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoOptions options = new DemoOptions(1500, 3, 4, ordering, 3, 30, Optional.empty());

    DemoSummary summary =
        Demo.run(kafka, options, new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertThat(summary.produced()).isEqualTo(1500);
    assertThat(summary.processed()).isEqualTo(1500);
    assertThat(summary.deadLettered()).isZero();
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
            "dead-lettered: 0",
            "duplicates: 0",
            "order violations: " + summary.orderViolations(),
            "lost: 0");
    assertThat(lines)
        .anyMatch(line -> line.matches("\\[ *[0-9.]+s] produced \\d+ +processed \\d+ .*"))
        .contains(
            "read back (read_committed): 1500 input records, 1500 result records, 0 dead letters");
  }

  @Test
  void aSummaryWithALostOrderOrAnOrderViolationFails() {
    Duration took = Duration.ofSeconds(1);
    assertThat(new DemoSummary(Ordering.KEY, 10, 9, 0, 0, 0, 1, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 0, 1, 0, 0, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.KEY, 10, 10, 0, 0, 1, 0, took).passed()).isFalse();
    assertThat(new DemoSummary(Ordering.UNORDERED, 10, 10, 0, 0, 3, 0, took).passed()).isTrue();
  }

  @Test
  void parsesOptionsOverTheDefaults() {
    DemoOptions options =
        DemoOptions.parse("--records", "500", "--ordering", "unordered", "--workers", "2");
    assertThat(options)
        .isEqualTo(new DemoOptions(500, 4, 2, Ordering.UNORDERED, 6, 200, Optional.empty()));
    assertThat(DemoOptions.parse("--bootstrap", "kafka:9092").bootstrap()).hasValue("kafka:9092");
    assertThatThrownBy(() -> DemoOptions.parse("--records")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--records", "0"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> DemoOptions.parse("--poison", "3"))
        .hasMessageContaining("unknown option");
  }
}
