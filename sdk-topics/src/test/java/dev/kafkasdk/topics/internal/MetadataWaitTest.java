package dev.kafkasdk.topics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.topics.TopicAdminException;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetadataWaitTest {

  @Test
  void returnsTheFirstAnswerThatSatisfiesTheConditionAskingTheIntervalsInOrder() {
    List<Integer> asked = new ArrayList<>();
    IntervalFunction intervals =
        attempt -> {
          asked.add(attempt);
          return 1L;
        };
    AtomicInteger probes = new AtomicInteger();

    int answer =
        new MetadataWait(Duration.ofSeconds(30), intervals)
            .until(
                probes::incrementAndGet,
                n -> n == 4,
                n -> new TopicAdminException("timed out at " + n, null),
                "test");

    assertThat(answer).isEqualTo(4);
    assertThat(asked).containsExactly(1, 2, 3);
  }

  @Test
  void neverPausesPastTheDeadlineAndReportsTheLastAnswer() {
    AtomicInteger probes = new AtomicInteger();
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                new MetadataWait(Duration.ofMillis(100), IntervalFunction.of(Duration.ofHours(1)))
                    .until(
                        probes::incrementAndGet,
                        n -> false,
                        n -> new TopicAdminException("still not ready after probe " + n, null),
                        "test"))
        .isInstanceOf(TopicAdminException.class)
        .hasMessage("still not ready after probe 2");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the one-hour interval is cut at the deadline")
        .isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  new MetadataWait(Duration.ofSeconds(30))
                      .until(() -> 0, n -> false, n -> new TopicAdminException("", null), "x"))
          .isInstanceOf(TopicAdminException.class)
          .hasMessageContaining("interrupted while waiting for x");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theDefaultIntervalsDoubleFrom20MillisUpTo500() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 50))
        .extracting(MetadataWait.INTERVALS::apply)
        .containsExactly(20L, 40L, 80L, 160L, 320L, 500L, 500L, 500L);
  }
}
