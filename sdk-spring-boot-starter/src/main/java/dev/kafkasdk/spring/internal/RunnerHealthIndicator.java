package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RunnerHealth;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One runner's health, from {@link ConsumerRunner#health()}: {@code DOWN} for a failure or a stuck
 * partition, {@code OUT_OF_SERVICE} for partitions the application paused and for a runner the
 * application closed, {@code UNKNOWN} before {@code start()}, else {@code UP}. Details: {@code
 * state}, {@code assignedPartitions} (a count), and when they apply {@code error} (the failure),
 * {@code stuckPartitions} with {@code stuckAfter}, and {@code pausedPartitions}.
 */
final class RunnerHealthIndicator implements HealthIndicator {
  private final ConsumerRunner<?, ?> runner;

  RunnerHealthIndicator(ConsumerRunner<?, ?> runner) {
    this.runner = runner;
  }

  @Override
  public Health health() {
    RunnerHealth health = runner.health();
    Health.Builder builder = new Health.Builder().withDetail("state", health.state());
    if (health.failure().isPresent()) {
      return builder.down(health.failure().get()).build();
    }
    switch (health.status()) {
      case STUCK:
        return builder
            .down()
            .withDetail("stuckPartitions", names(health.stuckPartitions()))
            .withDetail("stuckAfter", health.stuckAfter().toString())
            .withDetail("assignedPartitions", runner.assignment().size())
            .build();
      case PAUSED:
        return builder
            .outOfService()
            .withDetail("pausedPartitions", names(health.pausedPartitions()))
            .withDetail("assignedPartitions", runner.assignment().size())
            .build();
      case UP:
        return builder.up().withDetail("assignedPartitions", runner.assignment().size()).build();
      default:
        // DOWN without a failure: not started yet, or closed by the application.
        return health.state() == ConsumerRunner.State.NEW
            ? builder.unknown().build()
            : builder.outOfService().build();
    }
  }

  /** Sorted {@code topic-partition} strings, stable in the health JSON. */
  private static List<String> names(Set<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::toString).sorted().toList();
  }
}
