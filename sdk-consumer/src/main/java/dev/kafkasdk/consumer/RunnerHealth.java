package dev.kafkasdk.consumer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A snapshot of a {@link ConsumerRunner}'s health, from {@link ConsumerRunner#health()}: its
 * {@linkplain ConsumerRunner.State state}, its {@linkplain ConsumerRunner#failure() failure}, the
 * assigned partitions the application {@linkplain ConsumerRunner#pause() paused}, and the assigned
 * partitions that are <em>stuck</em>, all folded into one {@link Status}. Immutable.
 *
 * <p>A partition is stuck when records of it wait (polled and not finished, or a lag above zero)
 * and its committed offset has not moved for {@linkplain
 * ConsumerRunner.Builder#stuckAfter(Duration) stuckAfter}: a handler call that hangs, a record
 * retried for that long, or a circuit breaker open for that long. A partition the application
 * paused is not stuck for its lag (the records wait because it was asked), but still is for records
 * already in flight. The runner looks at each partition about once a second, so a partition becomes
 * stuck up to a second after {@code stuckAfter} and healthy again up to a second after its commit
 * moved.
 *
 * <p>How a framework maps it: <b>liveness</b> fails on {@link Status#DOWN} with a failure (the
 * runner stopped by itself and will not recover; restart the process or build a new runner) and, if
 * a restart is the wanted remedy for a hanging handler, on {@link Status#STUCK}; <b>readiness</b>
 * (for a consumer: "is it doing its job") is {@link Status#UP} or {@link Status#PAUSED}. A Spring
 * Boot {@code HealthIndicator} reports {@link #status()} with the partitions as details.
 *
 * <pre>{@code
 * RunnerHealth health = runner.health();
 * switch (health.status()) {
 *   case UP, PAUSED -> ready();
 *   case STUCK -> log.warn("stuck partitions {}", health.stuckPartitions());
 *   case DOWN -> health.failure().ifPresent(failure -> restart(failure));
 * }
 * }</pre>
 */
public final class RunnerHealth {

  /**
   * The health in one word, from worst to best: {@code DOWN}, {@code STUCK}, {@code PAUSED}, {@code
   * UP}.
   */
  public enum Status {
    /** Not running: not started yet, stopping, stopped, or failed (see {@link #failure()}). */
    DOWN,
    /** Running, and at least one partition is stuck. */
    STUCK,
    /** Running, nothing stuck, and the application paused at least one assigned partition. */
    PAUSED,
    /** Running, nothing stuck, nothing paused by the application. */
    UP
  }

  private final ConsumerRunner.State state;
  private final Throwable failure;
  private final Set<TopicPartition> pausedPartitions;
  private final Set<TopicPartition> stuckPartitions;
  private final Duration stuckAfter;

  /**
   * Creates a snapshot; the runner creates them, applications and tests may too.
   *
   * @param state the runner's state
   * @param failure why it stopped by itself, or null
   * @param pausedPartitions the assigned partitions the application paused
   * @param stuckPartitions the assigned partitions that are stuck
   * @param stuckAfter how long records may wait without a commit before their partition is stuck
   * @throws NullPointerException if an argument other than {@code failure} is null
   */
  public RunnerHealth(
      ConsumerRunner.State state,
      Throwable failure,
      Set<TopicPartition> pausedPartitions,
      Set<TopicPartition> stuckPartitions,
      Duration stuckAfter) {
    this.state = Objects.requireNonNull(state, "state");
    this.failure = failure;
    this.pausedPartitions = Set.copyOf(pausedPartitions);
    this.stuckPartitions = Set.copyOf(stuckPartitions);
    this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
  }

  /**
   * Returns the health in one word: {@link Status#DOWN} unless {@link
   * ConsumerRunner.State#RUNNING}, else {@link Status#STUCK} if a partition is stuck, else {@link
   * Status#PAUSED} if the application paused an assigned partition, else {@link Status#UP}.
   *
   * @return the status
   */
  public Status status() {
    if (state != ConsumerRunner.State.RUNNING) {
      return Status.DOWN;
    }
    if (!stuckPartitions.isEmpty()) {
      return Status.STUCK;
    }
    return pausedPartitions.isEmpty() ? Status.UP : Status.PAUSED;
  }

  /**
   * Returns the runner's state when the snapshot was taken.
   *
   * @return the state
   */
  public ConsumerRunner.State state() {
    return state;
  }

  /**
   * Returns why the runner stopped by itself (see {@link ConsumerRunner#failure()}).
   *
   * @return the failure, or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the assigned partitions the application paused, as the poll threads applied them.
   *
   * @return an immutable set
   */
  public Set<TopicPartition> pausedPartitions() {
    return pausedPartitions;
  }

  /**
   * Returns the assigned partitions that are stuck.
   *
   * @return an immutable set
   */
  public Set<TopicPartition> stuckPartitions() {
    return stuckPartitions;
  }

  /**
   * Returns the runner's {@code stuckAfter} setting.
   *
   * @return the duration
   */
  public Duration stuckAfter() {
    return stuckAfter;
  }

  @Override
  public String toString() {
    return "RunnerHealth["
        + status()
        + ", state "
        + state
        + (failure != null ? ", failure " + failure : "")
        + (pausedPartitions.isEmpty() ? "" : ", paused " + pausedPartitions)
        + (stuckPartitions.isEmpty() ? "" : ", stuck " + stuckPartitions)
        + "]";
  }
}
