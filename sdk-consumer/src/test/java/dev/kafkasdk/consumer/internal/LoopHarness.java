package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * One {@link PollLoop} on its own thread over a {@link GroupConsumer}, with a {@link
 * ScriptedHandler} on a worker pool. {@link #newLoop} is the only place that knows how a loop is
 * constructed.
 */
final class LoopHarness implements AutoCloseable {
  static final String TOPIC = "t";
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

  /**
   * What varies between tests.
   *
   * @param ordering the ordering guarantee
   * @param workers worker threads
   * @param perRecord a record handler (true) or a batch handler with batches of one (false)
   * @param limits in-flight limits; the consumer returns at most {@code maxPollRecords} per poll
   * @param commitInterval how often the loop commits asynchronously (zero: every iteration)
   * @param revocationTimeout how long a revocation waits for in-flight records
   * @param policy what a handler failure means
   * @param values the value deserializer
   */
  record Options(
      Ordering ordering,
      int workers,
      boolean perRecord,
      FlowLimits limits,
      Duration commitInterval,
      Duration revocationTimeout,
      FailurePolicy policy,
      Deserializer<String> values) {
    static Options defaults() {
      return new Options(
          Ordering.UNORDERED,
          4,
          false,
          new FlowLimits(1000, 1000, 500),
          Duration.ZERO,
          WAIT,
          FailurePolicy.STOP,
          new StringDeserializer());
    }

    Options ordering(Ordering value, boolean recordHandler) {
      return new Options(
          value, workers, recordHandler, limits, commitInterval, revocationTimeout, policy, values);
    }

    Options limits(FlowLimits value) {
      return new Options(
          ordering, workers, perRecord, value, commitInterval, revocationTimeout, policy, values);
    }

    Options commitInterval(Duration value) {
      return new Options(
          ordering, workers, perRecord, limits, value, revocationTimeout, policy, values);
    }

    Options revocationTimeout(Duration value) {
      return new Options(
          ordering, workers, perRecord, limits, commitInterval, value, policy, values);
    }

    Options policy(FailurePolicy value, Deserializer<String> valueDeserializer) {
      return new Options(
          ordering,
          workers,
          perRecord,
          limits,
          commitInterval,
          revocationTimeout,
          value,
          valueDeserializer);
    }
  }

  final GroupConsumer consumer = new GroupConsumer();
  final ScriptedHandler handler = new ScriptedHandler();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  final UserPauses userPauses = new UserPauses();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final CountingPool workers;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final PollLoop<String, String> loop;
  private final Thread thread;

  LoopHarness(Options options) {
    workers = new CountingPool(options.workers());
    consumer.setMaxPollRecords(options.limits().maxPollRecords());
    Map<TopicPartition, Long> beginning = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      beginning.put(tp(i), 0L);
    }
    consumer.updateBeginningOffsets(beginning);
    loop = newLoop(options, consumer, handler, workers, timer, new Owner(), userPauses);
    thread = new Thread(loop, "loop-test-poll");
    thread.setDaemon(true);
  }

  /** The one place that builds a loop and what it needs. */
  private static PollLoop<String, String> newLoop(
      Options options,
      GroupConsumer consumer,
      ScriptedHandler handler,
      ExecutorService workers,
      ScheduledExecutorService timer,
      Loop.Owner owner,
      UserPauses userPauses) {
    ProcessingMode<String, String> mode =
        options.perRecord()
            ? new ProcessingMode.RecordHandling<>(handler::handleOne)
            : new ProcessingMode.BatchHandling<>(handler, 1);
    HandlerInvoker<String, String> invoker =
        options.perRecord()
            ? HandlerInvoker.of(handler::handleOne)
            : HandlerInvoker.ofBatch(handler);
    FlowLimits limits = options.limits();
    RunnerSettings<String, String> settings =
        new RunnerSettings<>(
            "loop-test",
            List.of(TOPIC),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            new StringDeserializer(),
            options.values(),
            mode,
            new FailureHandling(
                RetryPolicy.none(), FailureAction.stop(), Optional.empty(), Optional.empty()),
            Strategy.multiWorker(options.workers(), options.ordering()),
            limits.maxInFlight(),
            limits.maxInFlightPerPartition(),
            Optional.of(limits.maxPollRecords()),
            limits.growth(),
            options.commitInterval(),
            WAIT,
            options.revocationTimeout(),
            Duration.ofMinutes(5),
            POLL_TIMEOUT,
            new SimpleMeterRegistry(),
            Duration.ofMinutes(5),
            new HandlerTelemetry(Optional.empty(), false, false));
    LoopStats stats = new LoopStats();
    RunnerMetrics metrics = new RunnerMetrics(settings.registry(), settings.name(), List.of(stats));
    FailureSupport<String, String> support =
        new FailureSupport<>(
            new RecordDecoder<>(settings.keys(), settings.values()),
            options.policy(),
            Gate.OPEN,
            timer);
    LoopContext<String, String> context =
        new LoopContext<>(
            settings.name(),
            consumer,
            () -> {},
            settings,
            new LoopContext.LoopReports(
                metrics, stats, owner, new ProgressBoard(settings.registry(), settings.name())),
            userPauses);
    return new PollLoop<>(
        context,
        limits,
        new PollLoop.LoopExecution<>(
            new WorkerPool(workers, false, options.workers()), options.ordering(), invoker, 1),
        support);
  }

  /** The assigned partitions the application paused, as the loop applied them. */
  java.util.Set<TopicPartition> userPaused() {
    return loop.userPaused();
  }

  static TopicPartition tp(int partition) {
    return new TopicPartition(TOPIC, partition);
  }

  static ConditionFactory await() {
    return Awaitility.await()
        .atMost(WAIT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5));
  }

  static void await(BooleanSupplier condition) {
    await().until(condition::getAsBoolean);
  }

  LoopHarness start() {
    thread.start();
    return this;
  }

  /** Assigns the partitions (revoking any others) on the poll thread and waits until it did. */
  void assign(TopicPartition... partitions) {
    join(consumer.reassign(partitions));
  }

  static void join(CompletableFuture<Void> future) {
    future.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /**
   * Waits until the loop has applied every completion of handler calls that are not held, and has
   * committed since: every worker task that is not blocked in a hold has ended (a worker reports
   * its completion before its task ends), then two polls pass, between which the loop applies
   * completions and commits (the commit interval of these tests is zero unless a test says so).
   */
  void settle() {
    await(() -> workers.unfinished.get() == handler.waiting());
    join(consumer.inPoll(() -> {}));
    join(consumer.inPoll(() -> {}));
  }

  /** Waits until the loop committed exactly {@code offset} for the partition. */
  void awaitCommitted(TopicPartition partition, long offset) {
    await().untilAsserted(() -> assertThat(consumer.lastCommitted(partition)).hasValue(offset));
  }

  static void awaitEntered(ScriptedHandler.Hold hold) {
    await(() -> hold.entered.getCount() == 0);
  }

  /** Asks the loop to stop within {@code timeout} and waits until it has terminated. */
  void stop(Duration timeout) {
    loop.requestStop(timeout);
    awaitTerminated();
  }

  void requestStop(Duration timeout) {
    loop.requestStop(timeout);
  }

  void awaitTerminated() {
    await(() -> terminated.getCount() == 0);
    await(() -> !thread.isAlive());
  }

  boolean terminated() {
    return terminated.getCount() == 0;
  }

  @Override
  public void close() {
    handler.releaseAll();
    loop.requestStop(Duration.ofSeconds(5));
    if (thread.isAlive()) {
      awaitTerminated();
    }
    workers.shutdownNow();
    timer.shutdownNow();
  }

  private final class Owner implements Loop.Owner {
    @Override
    public void loopFailed(Throwable error) {
      failures.add(error);
    }

    @Override
    public void loopTerminated() {
      terminated.countDown();
    }
  }

  /** A fixed pool that knows how many tasks were handed to it and have not ended. */
  private static final class CountingPool extends ThreadPoolExecutor {
    final AtomicInteger unfinished = new AtomicInteger();

    CountingPool(int threads) {
      super(
          threads,
          threads,
          0,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(),
          task -> {
            Thread thread = new Thread(task, "loop-test-worker");
            thread.setDaemon(true);
            return thread;
          });
    }

    @Override
    public void execute(Runnable command) {
      unfinished.incrementAndGet();
      try {
        super.execute(command);
      } catch (RuntimeException e) {
        unfinished.decrementAndGet();
        throw e;
      }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable error) {
      unfinished.decrementAndGet();
    }
  }
}
