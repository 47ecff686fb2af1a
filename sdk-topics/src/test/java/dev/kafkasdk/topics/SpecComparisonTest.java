package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.topics.internal.SpecComparison;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpecComparisonTest {

  @Test
  void valuesAreComparedByMeaning() {
    assertThat(SpecComparison.equivalent("cleanup.policy", "compact,delete", "delete,compact"))
        .isTrue();
    assertThat(SpecComparison.equivalent("cleanup.policy", "compact", "delete")).isFalse();
    assertThat(SpecComparison.equivalent("min.cleanable.dirty.ratio", "0.5", "0.50")).isTrue();
    assertThat(SpecComparison.equivalent("unclean.leader.election.enable", "false", "FALSE"))
        .isTrue();
    assertThat(SpecComparison.equivalent("retention.ms", "1000", "1001")).isFalse();
    assertThat(SpecComparison.equivalent("compression.type", "lz4", "zstd")).isFalse();
  }

  @Test
  void matchingTopicHasNoDifferences() {
    TopicSpec spec = TopicSpec.durable("t").partitions(3).build();
    LiveTopic live =
        live(
            "t",
            3,
            3,
            Map.of(
                "min.insync.replicas", "2",
                "unclean.leader.election.enable", "false",
                "retention.ms", "604800000"));
    assertThat(SpecComparison.compare(spec, live)).isEmpty();
  }

  @Test
  void everyDifferingSettingIsReportedWithExpectedAndActual() {
    TopicSpec spec =
        TopicSpec.durable("t").partitions(6).retention(java.time.Duration.ofHours(1)).build();
    LiveTopic live =
        live(
            "t",
            3,
            1,
            Map.of(
                "min.insync.replicas", "1",
                "unclean.leader.election.enable", "false",
                "retention.ms", "604800000"));
    List<TopicDifference> differences = SpecComparison.compare(spec, live);
    assertThat(differences)
        .extracting(TopicDifference::setting, TopicDifference::expected, TopicDifference::actual)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("partitions", "6", "3"),
            org.assertj.core.groups.Tuple.tuple("replication.factor", "3", "1"),
            org.assertj.core.groups.Tuple.tuple("min.insync.replicas", "2", "1"),
            org.assertj.core.groups.Tuple.tuple("retention.ms", "3600000", "604800000"));
    assertThat(differences.get(0).fix()).contains("increasePartitions");
    assertThat(differences.get(1).fix()).contains("reassign");
    assertThat(differences.get(2).fix()).contains("alignConfigs");
  }

  @Test
  void morePartitionsThanDeclaredCannotBeFixedInPlace() {
    TopicSpec spec = TopicSpec.builder("t").partitions(2).build();
    List<TopicDifference> differences = SpecComparison.compare(spec, live("t", 4, 1, Map.of()));
    assertThat(differences)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.fix()).contains("cannot remove partitions");
            });
  }

  @Test
  void unknownConfigKeyIsReportedAsAbsent() {
    TopicSpec spec = TopicSpec.builder("t").config("retention.mss", "5").build();
    assertThat(SpecComparison.compare(spec, live("t", 1, 1, Map.of())))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.actual()).isEqualTo(SpecComparison.ABSENT);
              assertThat(d.fix()).contains("spelling");
            });
  }

  static LiveTopic live(String name, int partitions, int rf, Map<String, String> configs) {
    List<LiveTopic.PartitionState> states =
        IntStream.range(0, partitions)
            .mapToObj(
                p -> {
                  List<Integer> replicas =
                      IntStream.range(0, rf).map(r -> (p + r) % rf).boxed().toList();
                  return new LiveTopic.PartitionState(
                      p, OptionalInt.of(replicas.get(0)), replicas, replicas);
                })
            .toList();
    return new LiveTopic(name, states, configs);
  }
}
