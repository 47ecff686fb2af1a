package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The in-flight limits in force: configured limits never move, limits left at their defaults grow
 * only while a full window stays within the handler-time and byte budgets, and never beyond eight
 * times the default or below it.
 */
class FlowWindowTest {
  private static final LimitGrowth BOTH = new LimitGrowth(true, true);
  private static final long BUDGET = FlowLimits.RUNNER_BYTE_BUDGET;

  private final AtomicLong nanosPerRecord = new AtomicLong();
  private final LoopStats stats = new LoopStats();

  private FlowWindow window(LimitGrowth growth) {
    return new FlowWindow(
        new FlowLimits(5000, 1000, 500, growth, BUDGET), nanosPerRecord::get, stats);
  }

  @Test
  void aCheapHandlerWithSmallRecordsGrowsBothDefaultLimitsEightfold() {
    FlowWindow window = window(BOTH);
    observe(window, 100, 100);
    assertThat(window.maxInFlight()).isEqualTo(40_000);
    assertThat(window.maxInFlightPerPartition()).isEqualTo(8_000);
    assertThat(stats.inFlightLimit).hasValue(40_000);
    assertThat(window.admits(39_500)).isTrue();
    assertThat(window.admits(39_501)).isFalse();
    assertThat(window.admitsPartition(7_500)).isTrue();
    assertThat(window.admitsPartition(7_501)).isFalse();
  }

  @Test
  void untilTheHandlersSpeedIsKnownTheConfiguredLimitsHold() {
    FlowWindow window = window(BOTH);
    observe(window, 100, 0);
    assertThat(window.maxInFlight()).isEqualTo(5000);
    assertThat(window.admits(4500)).isTrue();
    assertThat(window.admits(4501)).isFalse();
    assertThat(window.admitsPartition(500)).isTrue();
    assertThat(window.admitsPartition(501)).isFalse();
  }

  @Test
  void aSlowerHandlerGrowsLessAndShrinksTheWindowBack() {
    FlowWindow window = window(BOTH);
    observe(window, 100, 100);
    assertThat(window.maxInFlight()).isEqualTo(40_000);
    // 100 ms / 6 us = 16,666 records: three times the default.
    nanosPerRecord.set(6_000);
    window.refresh();
    assertThat(window.maxInFlight()).isEqualTo(15_000);
    assertThat(window.maxInFlightPerPartition()).isEqualTo(3_000);
    nanosPerRecord.set(50_000);
    window.refresh();
    assertThat(window.maxInFlight()).isEqualTo(5000);
    assertThat(window.maxInFlightPerPartition()).isEqualTo(1000);
    assertThat(stats.inFlightLimit).hasValue(5000);
  }

  @Test
  void largeRecordsAreBoundedByTheByteBudget() {
    FlowWindow window = window(BOTH);
    // 2,000 + 160 bytes a record: 32 MiB hold 15,534, three times the default.
    observe(window, 2_000, 100);
    assertThat(window.maxInFlight()).isEqualTo(15_000);
    window.polled(records(100, 100_000));
    window.polled(records(100, 100_000));
    window.refresh();
    assertThat(window.maxInFlight()).isEqualTo(5000);
  }

  @Test
  void aLimitTheApplicationSetNeverGrows() {
    FlowWindow fixedTotal = window(new LimitGrowth(false, true));
    observe(fixedTotal, 100, 100);
    assertThat(fixedTotal.maxInFlight()).isEqualTo(5000);
    assertThat(fixedTotal.maxInFlightPerPartition()).isEqualTo(5000);

    FlowWindow fixedPartition = window(new LimitGrowth(true, false));
    observe(fixedPartition, 100, 100);
    assertThat(fixedPartition.maxInFlight()).isEqualTo(40_000);
    assertThat(fixedPartition.maxInFlightPerPartition()).isEqualTo(1000);

    FlowWindow fixed = window(LimitGrowth.NONE);
    observe(fixed, 100, 100);
    assertThat(fixed.maxInFlight()).isEqualTo(5000);
    assertThat(fixed.maxInFlightPerPartition()).isEqualTo(1000);
  }

  /**
   * Any sequence of handler speeds (0 = not known yet) and any record size: the limits in force
   * stay between the configured ones and eight times them, the partition limit within the runner
   * limit, and a grown window within both budgets; a faster handler never gets a smaller window.
   */
  @Property(tries = 1000)
  void theLimitsInForceStayWithinTheirBoundsAndBudgets(
      @ForAll @IntRange(min = 1, max = 20_000) int configured,
      @ForAll @IntRange(min = 1, max = 100) int partitionPercent,
      @ForAll boolean totalGrows,
      @ForAll boolean partitionGrows,
      @ForAll @IntRange(min = 0, max = 200_000) int valueBytes,
      @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = 200_000) Long> speeds) {
    int partition = Math.max(1, configured * partitionPercent / 100);
    int poll = Math.max(1, Math.min(500, partition / 2));
    LimitGrowth growth = new LimitGrowth(totalGrows, partitionGrows);
    FlowWindow window =
        new FlowWindow(
            new FlowLimits(configured, partition, poll, growth, BUDGET),
            nanosPerRecord::get,
            stats);
    long recordBytes = valueBytes + FlowWindow.RECORD_OVERHEAD_BYTES;
    List<int[]> byFasterFirst = new ArrayList<>();
    for (long speed : speeds) {
      nanosPerRecord.set(speed);
      window.polled(records(3, valueBytes));
      window.refresh();
      int total = window.maxInFlight();
      int perPartition = window.maxInFlightPerPartition();

      assertThat(total).isBetween(configured, totalGrows ? 8 * configured : configured);
      assertThat(perPartition)
          .isBetween(partition, partitionGrows ? Math.min(8 * partition, total) : partition);
      if (speed == 0) {
        assertThat(total).isEqualTo(configured);
        assertThat(perPartition).isEqualTo(partition);
      }
      if (total > configured) {
        assertThat(total * speed).isLessThanOrEqualTo(FlowWindow.DRAIN_BUDGET_NANOS);
        assertThat(total * recordBytes).isLessThanOrEqualTo(BUDGET);
      }
      if (perPartition > partition) {
        assertThat(perPartition * speed).isLessThanOrEqualTo(FlowWindow.DRAIN_BUDGET_NANOS);
        assertThat(perPartition * recordBytes).isLessThanOrEqualTo(BUDGET);
      }
      assertThat(window.admits(total - poll)).isTrue();
      assertThat(window.admits(total - poll + 1)).isFalse();
      assertThat(stats.inFlightLimit).hasValue(total);
      if (speed > 0) {
        byFasterFirst.add(new int[] {(int) speed, total});
      }
    }
    byFasterFirst.sort((a, b) -> Integer.compare(a[0], b[0]));
    for (int i = 1; i < byFasterFirst.size(); i++) {
      assertThat(byFasterFirst.get(i)[1])
          .as("a slower handler never gets a larger window")
          .isLessThanOrEqualTo(byFasterFirst.get(i - 1)[1]);
    }
  }

  /** One poll of 500 records of {@code valueBytes}, a handler at {@code nanos}, then a refresh. */
  private void observe(FlowWindow window, int valueBytes, long nanos) {
    window.polled(records(500, valueBytes));
    nanosPerRecord.set(nanos);
    window.refresh();
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int count, int valueBytes) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          new ConsumerRecord<>(
              "t",
              0,
              i,
              0L,
              TimestampType.CREATE_TIME,
              -1,
              valueBytes,
              null,
              new byte[0],
              new RecordHeaders(),
              java.util.Optional.empty()));
    }
    return records;
  }
}
