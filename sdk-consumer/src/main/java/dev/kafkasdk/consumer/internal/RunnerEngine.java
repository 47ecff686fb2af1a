package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and runs the poll loops of one runner: one loop feeding a worker pool (multi-worker) or N
 * loops each with its own processing thread (thread-per-partition). Reports failure and termination
 * to the public {@code ConsumerRunner}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RunnerEngine<K, V> {
  private static final Logger log = LoggerFactory.getLogger(RunnerEngine.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /** What the engine tells the runner. */
  public interface Listener {
    /**
     * A loop failed; the engine is stopping all loops.
     *
     * @param error the first failure
     */
    void failed(Throwable error);

    /** Every loop has stopped and every client is closed. */
    void terminated();
  }

  /**
   * Creates a consumer of raw bytes; the runner deserializes each record itself (so one record that
   * cannot be deserialized does not break a poll). The seam that lets tests substitute the client.
   */
  @FunctionalInterface
  public interface ConsumerFactory {
    /**
     * Creates a consumer.
     *
     * @param config complete configuration
     * @return the consumer
     */
    Consumer<byte[], byte[]> create(Map<String, Object> config);
  }

  private final ConsumerFactory consumers;
  private final Listener listener;
  private final List<LoopStats> stats = new CopyOnWriteArrayList<>();
  private final List<Loop> loops = new ArrayList<>();
  private final AtomicInteger alive = new AtomicInteger();
  private RunnerSettings<K, V> settings;
  private RunnerMetrics metrics;
  private FailureSupport<K, V> failures;
  private ScheduledExecutorService timer;
  private DeadLetterPublisher deadLetters;
  private final StopDeadline stop = new StopDeadline();

  /**
   * Creates an engine; nothing starts until {@link #start()}.
   *
   * @param settings validated settings
   * @param consumers creates a consumer from a complete configuration
   * @param listener told about failure and termination
   */
  public RunnerEngine(RunnerSettings<K, V> settings, ConsumerFactory consumers, Listener listener) {
    this.settings = settings;
    this.consumers = consumers;
    this.listener = listener;
  }

  /**
   * Creates the consumers, executors and threads and starts polling. On failure everything created
   * so far is closed before the exception propagates.
   *
   * @throws org.apache.kafka.common.KafkaException if a consumer cannot be created or, for
   *     thread-per-partition without a thread count, the partitions cannot be counted
   */
  public void start() {
    String name = RunnerNames.claim(settings.name());
    if (!name.equals(settings.name())) {
      log.warn(
          "runner name {} is used by another running runner in this JVM; this one is {}",
          settings.name(),
          name);
      settings = settings.withName(name);
    }
    metrics = new RunnerMetrics(settings.registry(), settings.name(), stats);
    List<Runnable> cleanup = new ArrayList<>();
    cleanup.add(this::releaseClientResources);
    try {
      failures = failureSupport();
      if (settings.exactlyOnce().isPresent()) {
        Strategy.ThreadPerPartition perPartition =
            (Strategy.ThreadPerPartition) settings.strategy();
        int threads = threadCount(perPartition);
        for (int i = 0; i < threads; i++) {
          addTransactionalLoop(i, settings.exactlyOnce().get(), cleanup);
        }
      } else if (settings.strategy() instanceof Strategy.MultiWorker multiWorker) {
        FlowLimits limits = limits(1);
        ExecutorService executor = multiWorker.executor().orElse(null);
        boolean owned = executor == null;
        int parallelism;
        if (owned) {
          parallelism = multiWorker.workers();
          executor =
              Executors.newFixedThreadPool(
                  parallelism, new NamedThreadFactory("ksdk-" + settings.name() + "-worker"));
          cleanup.add(executor::shutdownNow);
        } else {
          // The strategy has no worker count for an application's executor: ask the executor.
          parallelism = ExecutorParallelism.of(executor);
          log.info(
              "runner {}: the application's executor runs up to {} handler calls at once",
              settings.name(),
              parallelism);
        }
        addLoop(
            settings.name(),
            0,
            limits,
            new PollLoop.LoopExecution<>(executor, owned, multiWorker.ordering(), parallelism),
            cleanup);
      } else if (settings.strategy() instanceof Strategy.ThreadPerPartition perPartition) {
        int threads = threadCount(perPartition);
        FlowLimits limits = limits(threads);
        for (int i = 0; i < threads; i++) {
          ExecutorService executor =
              Executors.newSingleThreadExecutor(
                  new NamedThreadFactory("ksdk-" + settings.name() + "-handler-" + i));
          cleanup.add(executor::shutdownNow);
          addLoop(
              settings.name() + "#" + i,
              i,
              limits,
              new PollLoop.LoopExecution<>(executor, true, Ordering.PARTITION, 1),
              cleanup);
        }
      }
    } catch (RuntimeException e) {
      for (int i = cleanup.size() - 1; i >= 0; i--) {
        try {
          cleanup.get(i).run();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      metrics.close();
      throw e;
    }
    alive.set(loops.size());
    for (int i = 0; i < loops.size(); i++) {
      new Thread(loops.get(i), "ksdk-" + settings.name() + "-poll-" + i).start();
    }
    log.info(
        "runner {} started: {} consumer(s), strategy {}, subscription {}",
        settings.name(),
        loops.size(),
        settings.strategy(),
        settings.pattern().map(Object::toString).orElse(settings.topics().toString()));
  }

  /**
   * Asks every loop to stop within the timeout. Any thread; returns at once.
   *
   * @param timeout how long in-flight records and the final commit may take
   */
  public void requestStop(Duration timeout) {
    stop.request(timeout);
    for (Loop loop : loops) {
      loop.requestStop(timeout);
    }
  }

  /**
   * What is left of the stop's timeout, so that closing the dead-letter producer, last, does not
   * make {@code close(timeout)} return before the runner has stopped. Pending dead letters are
   * abandoned when none is left: their records were not committed and are delivered again.
   */
  private Duration stopTimeLeft() {
    return stop.left(settings.closeTimeout(), Duration.ZERO);
  }

  /**
   * Returns the partitions currently assigned to the runner's consumers.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> assignment() {
    Set<TopicPartition> all = new HashSet<>();
    for (Loop loop : loops) {
      all.addAll(loop.assignment());
    }
    return Set.copyOf(all);
  }

  /**
   * Returns each consumer's current assignment, in consumer order.
   *
   * @return one immutable set per consumer
   */
  public List<Set<TopicPartition>> assignmentsByConsumer() {
    List<Set<TopicPartition>> all = new ArrayList<>();
    for (Loop loop : loops) {
      all.add(loop.assignment());
    }
    return List.copyOf(all);
  }

  /**
   * Tells whether the calling thread belongs to this runner (a poll thread) or is running a
   * handler, where waiting for termination would wait for itself.
   *
   * @return true on a runner thread
   */
  public boolean isRunnerThread() {
    if (Dispatcher.inHandler()) {
      return true;
    }
    for (Loop loop : loops) {
      if (loop.isLoopThread()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the sum over consumers of the most records each ever had in flight: an upper bound of
   * the runner's in-flight high-water mark.
   *
   * @return the high-water mark
   */
  public int highWaterInFlight() {
    return stats.stream().mapToInt(s -> s.highWaterInFlight.get()).sum();
  }

  /**
   * Returns the runner's name: the configured one, numbered if another running runner in this JVM
   * had it.
   *
   * @return the name
   */
  public String name() {
    return settings.name();
  }

  /** The failure policy, gate and timer shared by the loops; creates the dead-letter producer. */
  private FailureSupport<K, V> failureSupport() {
    FailureHandling handling = settings.failureHandling();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            new NamedThreadFactory("ksdk-" + settings.name() + "-retry"));
    if (handling.action().kind() == FailureAction.Kind.DEAD_LETTER
        && settings.exactlyOnce().isEmpty()) {
      deadLetters = new DeadLetterPublisher(handling.action(), deadLetterProducer());
    }
    Gate gate = new Gate(handling.breaker().orElse(null), handling.limiter().orElse(null));
    if (gate.hasBreaker()) {
      metrics.circuitState(gate);
    }
    FailurePolicy policy =
        new ConfiguredFailurePolicy(
            settings.name(), handling.retry(), handling.action(), deadLetters, metrics);
    return new FailureSupport<>(
        new RecordDecoder<>(settings.keys(), settings.values()), policy, gate, timer);
  }

  /**
   * The SDK's idempotent producer for dead letters, with the consumer's connection settings
   * (bootstrap servers and security properties), so a runner that can read can also dead-letter.
   */
  private ReliableProducer<byte[], byte[]> deadLetterProducer() {
    ReliableProducer.Builder<byte[], byte[]> builder =
        ReliableProducer.builder(new ByteArraySerializer(), new ByteArraySerializer())
            .bootstrapServers(
                String.valueOf(
                    settings.consumerConfig().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)))
            .clientId(settings.clientIdPrefix() + "-dlt")
            .meterRegistry(settings.registry());
    for (Map.Entry<String, Object> entry : settings.consumerConfig().entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        builder.property(key, entry.getValue());
      }
    }
    return builder.build();
  }

  /** Closes the application's deserializers once and frees the name. */
  private void releaseClientResources() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (deadLetters != null) {
      try {
        deadLetters.close(stopTimeLeft());
      } catch (RuntimeException e) {
        log.warn(
            "runner {}: closing the dead-letter producer failed: {}",
            settings.name(),
            e.toString());
      }
    }
    closeQuietly(settings.keys());
    if (settings.values() != settings.keys()) {
      closeQuietly(settings.values());
    }
    RunnerNames.release(settings.name());
  }

  private void closeQuietly(Deserializer<?> deserializer) {
    try {
      deserializer.close();
    } catch (RuntimeException e) {
      log.warn("runner {}: closing a deserializer failed: {}", settings.name(), e.toString());
    }
  }

  private FlowLimits limits(int loopCount) {
    return FlowLimits.forLoop(
        settings.maxInFlight(),
        settings.maxInFlightPerPartition(),
        settings.maxPollRecords(),
        loopCount);
  }

  private void addLoop(
      String loopName,
      int index,
      FlowLimits limits,
      PollLoop.LoopExecution<K, V> execution,
      List<Runnable> cleanup) {
    LoopContext<K, V> context = loopContext(loopName, index, limits.maxPollRecords(), cleanup);
    loops.add(new PollLoop<>(context, limits, execution, failures));
  }

  private <OK, OV> void addTransactionalLoop(
      int index, ExactlyOnceSettings<K, V, OK, OV> exactlyOnce, List<Runnable> cleanup) {
    int maxPollRecords =
        settings.maxPollRecords().orElse(Math.min(500, settings.maxInFlightPerPartition()));
    LoopContext<K, V> context =
        loopContext(settings.name() + "#" + index, index, maxPollRecords, cleanup);
    loops.add(new TransactionalLoop<>(context, index, exactlyOnce, failures.decoder()));
  }

  /** Creates a loop's consumer, binds its meters and registers both for cleanup. */
  private LoopContext<K, V> loopContext(
      String loopName, int index, int maxPollRecords, List<Runnable> cleanup) {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientIdPrefix() + "-" + index);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    Consumer<byte[], byte[]> consumer = consumers.create(config);
    cleanup.add(consumer::close);
    KafkaClientMetrics clientMetrics =
        new KafkaClientMetrics(consumer, Tags.of(ConsumerMeters.TAG_RUNNER, settings.name()));
    clientMetrics.bindTo(settings.registry());
    cleanup.add(clientMetrics::close);
    LoopStats loopStats = new LoopStats();
    stats.add(loopStats);
    return new LoopContext<>(
        loopName,
        consumer,
        clientMetrics,
        settings,
        new LoopContext.LoopReports(metrics, loopStats, new LoopOwner()));
  }

  /** The configured thread count, or the partition count; warns about threads that will idle. */
  private int threadCount(Strategy.ThreadPerPartition strategy) {
    if (strategy.threads().isPresent()) {
      int threads = strategy.threads().getAsInt();
      int partitions;
      try {
        partitions = countPartitions();
      } catch (RuntimeException e) {
        log.debug("runner {}: could not count partitions: {}", settings.name(), e.toString());
        return threads;
      }
      if (partitions > 0 && threads > partitions) {
        log.warn(
            "runner {}: {} consumer threads for {} partitions: {} thread(s) will get no partition"
                + " and sit idle",
            settings.name(),
            threads,
            partitions,
            threads - partitions);
      }
      return threads;
    }
    int partitions = countPartitions();
    if (partitions == 0) {
      log.warn(
          "runner {}: the subscribed topics have no partitions yet; starting one consumer thread",
          settings.name());
      return 1;
    }
    return partitions;
  }

  private int countPartitions() {
    Map<String, Object> config = new HashMap<>(settings.consumerConfig());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientIdPrefix() + "-metadata");
    try (Consumer<byte[], byte[]> probe = consumers.create(config)) {
      int partitions = 0;
      if (settings.pattern().isPresent()) {
        for (Map.Entry<String, List<PartitionInfo>> topic :
            probe.listTopics(METADATA_TIMEOUT).entrySet()) {
          if (settings.pattern().get().matcher(topic.getKey()).matches()) {
            partitions += topic.getValue().size();
          }
        }
      } else {
        for (String topic : settings.topics()) {
          List<PartitionInfo> infos = probe.partitionsFor(topic, METADATA_TIMEOUT);
          partitions += infos == null ? 0 : infos.size();
        }
      }
      return partitions;
    }
  }

  private final class LoopOwner implements Loop.Owner {
    @Override
    public void loopFailed(Throwable error) {
      listener.failed(error);
      requestStop(settings.closeTimeout());
    }

    @Override
    public void loopTerminated() {
      if (alive.decrementAndGet() == 0) {
        metrics.close();
        releaseClientResources();
        listener.terminated();
      }
    }
  }
}
