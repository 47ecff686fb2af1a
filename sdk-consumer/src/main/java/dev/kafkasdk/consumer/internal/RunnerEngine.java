package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.ConsumerMeters;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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

  /** Creates a consumer; the seam that lets tests substitute the client. */
  @FunctionalInterface
  public interface ConsumerFactory<K, V> {
    /**
     * Creates a consumer.
     *
     * @param config complete configuration
     * @param keys key deserializer
     * @param values value deserializer
     * @return the consumer
     */
    Consumer<K, V> create(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values);
  }

  private final ConsumerFactory<K, V> consumers;
  private final Listener listener;
  private final List<LoopStats> stats = new CopyOnWriteArrayList<>();
  private final List<PollLoop<K, V>> loops = new ArrayList<>();
  private final AtomicInteger alive = new AtomicInteger();
  private RunnerSettings<K, V> settings;
  private RunnerMetrics metrics;
  private Deserializer<K> sharedKeys;
  private Deserializer<V> sharedValues;

  /**
   * Creates an engine; nothing starts until {@link #start()}.
   *
   * @param settings validated settings
   * @param consumers creates a consumer from a complete configuration
   * @param listener told about failure and termination
   */
  public RunnerEngine(
      RunnerSettings<K, V> settings, ConsumerFactory<K, V> consumers, Listener listener) {
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
    sharedKeys = new SharedDeserializer<>(settings.keys());
    sharedValues = new SharedDeserializer<>(settings.values());
    metrics = new RunnerMetrics(settings.registry(), settings.name(), stats);
    List<Runnable> cleanup = new ArrayList<>();
    cleanup.add(this::releaseClientResources);
    try {
      if (settings.strategy() instanceof Strategy.MultiWorker multiWorker) {
        FlowLimits limits = limits(1);
        ExecutorService executor = multiWorker.executor().orElse(null);
        boolean owned = executor == null;
        if (owned) {
          executor =
              Executors.newFixedThreadPool(
                  multiWorker.workers(),
                  new NamedThreadFactory("ksdk-" + settings.name() + "-worker"));
          cleanup.add(executor::shutdownNow);
        }
        addLoop(
            settings.name(),
            0,
            limits,
            new PollLoop.LoopExecution<>(executor, owned, multiWorker.ordering()),
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
              new PollLoop.LoopExecution<>(executor, true, Ordering.PARTITION),
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
    for (PollLoop<K, V> loop : loops) {
      loop.requestStop(timeout);
    }
  }

  /**
   * Returns the partitions currently assigned to the runner's consumers.
   *
   * @return an immutable snapshot
   */
  public Set<TopicPartition> assignment() {
    Set<TopicPartition> all = new HashSet<>();
    for (PollLoop<K, V> loop : loops) {
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
    for (PollLoop<K, V> loop : loops) {
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
    for (PollLoop<K, V> loop : loops) {
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

  /** Closes the application's deserializers once and frees the name. */
  private void releaseClientResources() {
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
    Map<String, Object> config = new HashMap<>(settings.consumerConfig());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientIdPrefix() + "-" + index);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, limits.maxPollRecords());
    Consumer<K, V> consumer = consumers.create(config, sharedKeys, sharedValues);
    cleanup.add(consumer::close);
    KafkaClientMetrics clientMetrics =
        new KafkaClientMetrics(consumer, Tags.of(ConsumerMeters.TAG_RUNNER, settings.name()));
    clientMetrics.bindTo(settings.registry());
    cleanup.add(clientMetrics::close);
    LoopStats loopStats = new LoopStats();
    stats.add(loopStats);
    loops.add(
        new PollLoop<>(
            loopName,
            consumer,
            clientMetrics,
            settings,
            limits,
            execution,
            metrics,
            loopStats,
            new LoopOwner()));
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
    try (Consumer<K, V> probe = consumers.create(config, sharedKeys, sharedValues)) {
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

  private final class LoopOwner implements PollLoop.Owner {
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
