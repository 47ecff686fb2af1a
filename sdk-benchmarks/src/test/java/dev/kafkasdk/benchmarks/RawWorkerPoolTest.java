package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of the raw worker-pool baseline: how a poll's records are cut for the workers, the
 * check of its final commit, and the ratio lines it takes part in; no Kafka involved.
 */
class RawWorkerPoolTest {

  @Test
  void chunksCoverEveryRecordOnceInOrderWithSizesWithinOne() {
    for (int size = 1; size <= 40; size++) {
      for (int parts = 1; parts <= 6; parts++) {
        List<Integer> records = IntStream.range(0, size).boxed().toList();
        List<List<Integer>> chunks = RawBaselines.chunks(records, parts);

        assertThat(chunks).hasSize(Math.min(parts, size));
        List<Integer> joined = new ArrayList<>();
        chunks.forEach(joined::addAll);
        assertThat(joined).isEqualTo(records);
        int smallest = chunks.stream().mapToInt(List::size).min().orElseThrow();
        int largest = chunks.stream().mapToInt(List::size).max().orElseThrow();
        assertThat(smallest).isPositive();
        assertThat(largest - smallest).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void aFinalCommitShortOfTheEndOrPastItOrMissingFailsTheTrial() {
    long[] ends = {5, 7};
    GroupPositions.requireCommittedAtEnd(ends, Map.of(0, 5L, 1, 7L), "all");

    assertThatThrownBy(
            () -> GroupPositions.requireCommittedAtEnd(ends, Map.of(0, 5L, 1, 6L), "short"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partition 1");
    assertThatThrownBy(
            () -> GroupPositions.requireCommittedAtEnd(ends, Map.of(0, 6L, 1, 7L), "past"))
        .hasMessageContaining("partition 0");
    assertThatThrownBy(() -> GroupPositions.requireCommittedAtEnd(ends, Map.of(0, 5L), "missing"))
        .hasMessageContaining("committed null on partition 1");
  }

  @Test
  void aQuickTrialOverAPrefixOfTheTopicMustHaveCommittedExactlyWhatItHandled() {
    GroupPositions.requireCommittedTotal(Map.of(0, 5L, 1, 6L), 11, "prefix");

    assertThatThrownBy(
            () -> GroupPositions.requireCommittedTotal(Map.of(0, 5L, 1, 5L), 11, "short"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("committed 10 records in all");
    assertThatThrownBy(() -> GroupPositions.requireCommittedTotal(Map.of(0, 6L, 1, 6L), 11, "past"))
        .hasMessageContaining("handled 11");
    assertThatThrownBy(() -> GroupPositions.requireCommittedTotal(Map.of(), 11, "none"))
        .hasMessageContaining("committed 0");
  }

  @Test
  void everyUntracedMultiWorkerVariantIsComparedWithTheRawWorkerPool() {
    LightConsumerScenario scenario = new LightConsumerScenario(null, new BenchSettings(false, 3));
    List<String> names = scenario.variants().stream().map(Variant::name).toList();

    assertThat(names).contains("raw-worker-pool");
    for (String name : names) {
      boolean compared = scenario.alsoComparedWith(name).contains("raw-worker-pool");
      assertThat(compared)
          .as(name)
          .isEqualTo(name.startsWith("multi-worker-") && !name.endsWith("-traced"));
    }
  }
}
