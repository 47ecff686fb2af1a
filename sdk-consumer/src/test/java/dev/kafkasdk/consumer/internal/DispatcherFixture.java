package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Builds a {@link Dispatcher} of strings for tests without Kafka: the one place in the tests that
 * knows how its {@link DispatchContext} is put together. Defaults: partition ordering, four
 * workers, batches of one, the stop policy, no circuit breaker or rate limiter.
 */
final class DispatcherFixture {
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final Queue<Completion<String, String>> completions;
  private Ordering ordering = Ordering.PARTITION;
  private int parallelism = 4;
  private int batchSize = 1;
  private HandlerInvoker<String, String> invoker = HandlerInvoker.of(record -> {});
  private FailurePolicy policy = FailurePolicy.STOP;
  private Gate gate = Gate.OPEN;
  private RunnerMetrics metrics;
  private IntPredicate cheapEnough;
  private Deserializer<String> values = new StringDeserializer();

  /**
   * Starts a dispatcher's description.
   *
   * @param executor runs the handler calls
   * @param timer resumes waiting work
   * @param completions where the dispatcher reports
   */
  DispatcherFixture(
      Executor executor,
      ScheduledExecutorService timer,
      Queue<Completion<String, String>> completions) {
    this.executor = executor;
    this.timer = timer;
    this.completions = completions;
  }

  DispatcherFixture ordering(Ordering ordering) {
    this.ordering = ordering;
    return this;
  }

  DispatcherFixture parallelism(int parallelism) {
    this.parallelism = parallelism;
    return this;
  }

  DispatcherFixture batchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  DispatcherFixture invoker(HandlerInvoker<String, String> invoker) {
    this.invoker = invoker;
    return this;
  }

  DispatcherFixture policy(FailurePolicy policy) {
    this.policy = policy;
    return this;
  }

  DispatcherFixture gate(Gate gate) {
    this.gate = gate;
    return this;
  }

  DispatcherFixture metrics(RunnerMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /**
   * Decides KEY ordering's fast path by this instead of the handler's measured speed: given a
   * partition's polled record count, whether they may run in order on one lane.
   */
  DispatcherFixture cheapEnough(IntPredicate cheapEnough) {
    this.cheapEnough = cheapEnough;
    return this;
  }

  /** Deserializes values with this instead of a plain {@link StringDeserializer}. */
  DispatcherFixture values(Deserializer<String> values) {
    this.values = values;
    return this;
  }

  Dispatcher<String, String> build() {
    RunnerMetrics meters =
        metrics != null ? metrics : new RunnerMetrics(new SimpleMeterRegistry(), "test", List.of());
    return new Dispatcher<>(
        new DispatchContext<>(
            new DispatchContext.Workers(executor, ordering, parallelism),
            invoker,
            batchSize,
            new FailureSupport<>(
                new RecordDecoder<>(new StringDeserializer(), values), policy, gate, timer),
            new DispatchContext.Reports<>(
                completions, meters, new SlowHandlerWatch(), new AtomicInteger())),
        cheapEnough);
  }
}
