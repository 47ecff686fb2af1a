package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The health status without a broker, and the {@code stuckAfter} setting. */
class RunnerHealthTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  @Test
  void theStatusIsTheWorstOfStateStuckAndPaused() {
    assertThat(health(ConsumerRunner.State.RUNNING, Set.of(), Set.of()).status())
        .isEqualTo(RunnerHealth.Status.UP);
    assertThat(health(ConsumerRunner.State.RUNNING, Set.of(P0), Set.of()).status())
        .isEqualTo(RunnerHealth.Status.PAUSED);
    assertThat(health(ConsumerRunner.State.RUNNING, Set.of(P0), Set.of(P0)).status())
        .isEqualTo(RunnerHealth.Status.STUCK);
    for (ConsumerRunner.State state :
        List.of(
            ConsumerRunner.State.NEW,
            ConsumerRunner.State.STOPPING,
            ConsumerRunner.State.STOPPED,
            ConsumerRunner.State.FAILED)) {
      assertThat(health(state, Set.of(), Set.of(P0)).status()).isEqualTo(RunnerHealth.Status.DOWN);
    }
  }

  @Test
  void aRunnerThatHasNotStartedIsDownAndKeepsAPauseRequestedBeforeTheStart() {
    ConsumerRunner<String, String> runner = builder().build();
    runner.pause(List.of(P0));
    RunnerHealth health = runner.health();
    assertThat(health.status()).isEqualTo(RunnerHealth.Status.DOWN);
    assertThat(health.failure()).isEmpty();
    assertThat(health.stuckAfter()).isEqualTo(FIVE_MINUTES);
    assertThat(runner.pausedPartitions()).as("nothing assigned yet").isEmpty();
  }

  @Test
  void stuckAfterMustBePositiveAndLongerThanTheCommitInterval() {
    assertThatThrownBy(() -> builder().stuckAfter(Duration.ZERO).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("stuckAfter");
    assertThatThrownBy(
            () ->
                builder()
                    .commitInterval(Duration.ofSeconds(10))
                    .stuckAfter(Duration.ofSeconds(10))
                    .build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("stuckAfter")
        .hasMessageContaining("commitInterval");
    assertThat(builder().stuckAfter(Duration.ofSeconds(2)).build().health().stuckAfter())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(builder().commitInterval(Duration.ofHours(1)).build().health().stuckAfter())
        .as("the default never refuses a long commit interval")
        .isEqualTo(Duration.ofHours(2));
  }

  private static RunnerHealth health(
      ConsumerRunner.State state, Set<TopicPartition> paused, Set<TopicPartition> stuck) {
    return new RunnerHealth(state, null, paused, stuck, FIVE_MINUTES);
  }

  private static ConsumerRunner.Builder<String, String> builder() {
    return ConsumerRunner.builder()
        .bootstrapServers("localhost:9")
        .groupId("g")
        .topics("t")
        .handler(record -> {});
  }
}
