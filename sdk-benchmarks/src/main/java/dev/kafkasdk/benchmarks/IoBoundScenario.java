package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Scenario 3: an I/O-bound handler (5 ms per record, simulated by sleeping) over 12 partitions and
 * 1,000 keys. It shows that thread-per-partition caps parallelism at the partition count, a
 * key-ordered worker pool at the key count. The baseline is computed, not measured: the ideal
 * throughput {@code min(workers, cap) / 5 ms}.
 */
final class IoBoundScenario implements Scenario {
  static final int PARTITIONS = 12;
  static final int KEYS = 1_000;
  static final long HANDLER_MICROS = 5_000;
  static final int[] WORKERS = {16, 64, 256, 1_000};

  /** Thread counts at which the SDK is also compared with the measured wake-up limit. */
  static final int[] WAKE_UP_LIMITS = {64, 256, 1_000};

  /** The virtual-thread variant's size: 1,000 handler calls at once, one per key. */
  static final int VIRTUAL_THREADS = 1_000;

  /** Confluent Parallel Consumer's {@code maxConcurrency} in the {@code pc-key-<n>} variants. */
  static final int[] PC_WORKERS = {64, 256, 1_000};

  private final KafkaCluster kafka;
  private final Duration warmup;
  private final Duration window;
  private final long cap;
  private final boolean quick;
  private final String topic = Workloads.freshName("io");
  private long filled;

  IoBoundScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.warmup = Duration.ofSeconds(settings.pick(5, 1));
    this.window = Duration.ofSeconds(settings.pick(30, 2));
    // The ideal at 1,000 workers is 200,000 records/s; a 2-core machine reaches well under that,
    // and filling for it would write gigabytes. A trial that runs out of records fails instead.
    this.cap = settings.pick(6_000_000, 1_000_000);
    this.quick = settings.quick();
  }

  @Override
  public String name() {
    return "io-bound";
  }

  @Override
  public String description() {
    return String.format(
        "handler sleeps %d ms, %d partitions, %,d keys, measured over %d s after %d s warm-up;"
            + " ratio = fraction of the ideal",
        HANDLER_MICROS / 1000, PARTITIONS, KEYS, window.toSeconds(), warmup.toSeconds());
  }

  @Override
  public boolean warmUp() {
    return false;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void prepare() throws Exception {
    double seconds = warmup.toSeconds() + window.toSeconds() + 2;
    long needed = (long) (ideal(WORKERS[WORKERS.length - 1], KEYS) * seconds);
    filled = Math.min(needed, cap);
    Workloads.fill(kafka, topic, PARTITIONS, filled, 100, KEYS);
    if (VirtualThreads.executor().isEmpty()) {
      Progress.say(
          "  no virtual threads on Java %s (21+ needed): variant %s skipped",
          System.getProperty("java.version"), "virtual-threads-key-" + VIRTUAL_THREADS);
    }
  }

  /**
   * The consumer settings of every io-bound trial, the peers' included: the common ones, with a
   * heartbeat every 500 ms instead of 3 s. Members of a classic group hear of a rebalance at their
   * next heartbeat, so twelve consumers joining one by one (thread-per-partition, Spring Kafka's
   * container) took about 6 s to settle before the warm-up could start; settling is waited for, not
   * measured, but it lengthened a quick run.
   */
  static Map<String, Object> consumerSettings(KafkaCluster kafka, String group) {
    Map<String, Object> config = Workloads.consumerSettings(kafka, group);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    return config;
  }

  /** Ideal records/s with {@code parallelism} handlers, capped by {@code cap} lanes. */
  static double ideal(int parallelism, int cap) {
    return Math.min(parallelism, cap) * (1_000_000.0 / HANDLER_MICROS);
  }

  @Override
  public double computedBaseline(String variant) {
    if (variant.equals("thread-per-partition") || variant.equals("spring-kafka")) {
      return ideal(PARTITIONS, PARTITIONS);
    }
    int workers = Integer.parseInt(variant.substring(variant.lastIndexOf('-') + 1));
    return variant.contains("-key-") ? ideal(workers, KEYS) : ideal(workers, Integer.MAX_VALUE);
  }

  /**
   * Each SDK variant at 64, 256 and 1,000 workers is also compared with the wake-up limit at the
   * same thread count: {@code ratio io-bound/<variant>-vs-wakeup-limit-<n>}.
   */
  @Override
  public List<String> alsoComparedWith(String variant) {
    String size = variant.substring(variant.lastIndexOf('-') + 1);
    if (variant.startsWith("wakeup-limit-") || !size.chars().allMatch(Character::isDigit)) {
      return List.of();
    }
    int workers = Integer.parseInt(size);
    for (int n : WAKE_UP_LIMITS) {
      if (n == workers) {
        return List.of("wakeup-limit-" + n);
      }
    }
    return List.of();
  }

  @Override
  public List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    variants.add(
        new Variant(
            "thread-per-partition",
            false,
            round -> run(Strategy.threadPerPartition(PARTITIONS), PARTITIONS)));
    for (int workers : WORKERS) {
      if (quick && workers < 64) {
        // 16 workers was 0.94-0.98 of the ideal in every run; quick mode keeps to the sizes that
        // are compared with the wake-up limit and the peers.
        continue;
      }
      variants.add(
          new Variant(
              "multi-worker-key-" + workers,
              false,
              round -> run(Strategy.multiWorker(workers, Ordering.KEY), workers)));
      variants.add(
          new Variant(
              "multi-worker-unordered-" + workers,
              false,
              round -> run(Strategy.multiWorker(workers, Ordering.UNORDERED), workers)));
    }
    if (VirtualThreads.executor().isPresent()) {
      variants.add(
          new Variant(
              "virtual-threads-key-" + VIRTUAL_THREADS, false, round -> runOnVirtualThreads()));
    }
    for (int threads : WAKE_UP_LIMITS) {
      variants.add(new Variant("wakeup-limit-" + threads, false, round -> wakeUpLimit(threads)));
    }
    // The peers (docs/benchmarks.md, "Against other libraries"), checked for loss and key order.
    for (int workers : PC_WORKERS) {
      String name = "pc-key-" + workers;
      variants.add(
          new Variant(
              name,
              false,
              round ->
                  PeerTrials.ioBound(
                      kafka,
                      topic,
                      PARTITIONS,
                      KEYS,
                      true,
                      workers,
                      computedBaseline(name),
                      warmup,
                      window,
                      name() + "/" + name,
                      ParallelConsumerRuns.factory("KEY", workers))));
    }
    variants.add(
        new Variant(
            "spring-kafka",
            false,
            round ->
                PeerTrials.ioBound(
                    kafka,
                    topic,
                    PARTITIONS,
                    KEYS,
                    true,
                    PARTITIONS,
                    computedBaseline("spring-kafka"),
                    warmup,
                    window,
                    name() + "/spring-kafka",
                    SpringKafkaRuns.factory(PARTITIONS))));
    return variants;
  }

  /**
   * The SDK with the application's executor a virtual thread per task (Java 21+): KEY ordering,
   * 1,000 keys, so up to 1,000 handler calls at once (the runner gives a thread-per-task executor
   * no limit of its own, see {@code ExecutorParallelism}).
   */
  private Trial runOnVirtualThreads() throws Exception {
    ExecutorService executor = VirtualThreads.executor().orElseThrow().get();
    try {
      return run(Strategy.multiWorker(executor, Ordering.KEY), VIRTUAL_THREADS);
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * What the machine itself allows, with no Kafka at all: {@code threads} platform threads, each
   * sleeping the handler's 5 ms in a loop (the same call as the handler), over the same warm-up and
   * window as an SDK trial; the value is completed sleeps per second. On a small machine each sleep
   * overshoots by the time it takes to wake its thread, and with hundreds of threads those wake-ups
   * queue for the cores: the best any thread-per-call design can do here.
   */
  private Trial wakeUpLimit(int threads) throws InterruptedException {
    LongAdder slept = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    // Started threads wait here until all are started: 1,000 threads that began sleeping in a loop
    // as each was started made starting the rest take 14-34 s of a 3 s trial on two cores (the
    // starting thread queued for a core behind the wake-ups), and starved the broker meanwhile.
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> sleepers = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      Thread sleeper =
          new Thread(
              () -> {
                try {
                  go.await();
                  // A random first phase, as handler calls have: threads started together and
                  // sleeping the same time would otherwise all wake at once, every 5 ms, and queue
                  // for the cores in bursts that a runner's workers do not produce.
                  TimeUnit.NANOSECONDS.sleep(
                      ThreadLocalRandom.current()
                          .nextLong(TimeUnit.MICROSECONDS.toNanos(HANDLER_MICROS)));
                  while (!stop.get()) {
                    TimeUnit.MICROSECONDS.sleep(HANDLER_MICROS);
                    slept.increment();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "wakeup-limit-" + i);
      sleeper.setDaemon(true);
      sleepers.add(sleeper);
    }
    sleepers.forEach(Thread::start);
    go.countDown();
    try {
      Workloads.park(warmup);
      long startCount = slept.sum();
      long cpuBefore = CpuClock.processNanos();
      long started = System.nanoTime();
      Workloads.park(window);
      long elapsed = System.nanoTime() - started;
      long count = slept.sum() - startCount;
      double cpuPerSleep = (CpuClock.processNanos() - cpuBefore) / (double) Math.max(1, count);
      Trial trial = Trial.throughput(count, 0, elapsed);
      return new Trial(
          trial.value(),
          trial.unit(),
          Map.of(
              "cpu_ns/rec",
              cpuPerSleep,
              "workers",
              (double) threads,
              "ideal",
              computedBaseline("wakeup-limit-" + threads)));
    } finally {
      stop.set(true);
      for (Thread sleeper : sleepers) {
        sleeper.join();
      }
    }
  }

  @Override
  public Optional<String> comparedWith(String variant) {
    if (variant.equals("thread-per-partition")) {
      return Optional.of("spring-kafka");
    }
    return variant.startsWith("multi-worker-key-")
        ? Optional.of("pc-key-" + variant.substring("multi-worker-key-".length()))
        : Optional.empty();
  }

  private Trial run(Strategy strategy, int workers) throws Exception {
    LongAdder handled = new LongAdder();
    String group = Workloads.freshName("io");
    Map<String, Object> config = consumerSettings(kafka, group);
    try (ConsumerRunner<byte[], byte[]> runner =
        ConsumerRunner.builder(
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())
            .properties(config)
            .topics(topic)
            .strategy(strategy)
            // Enough in flight to keep every worker busy; the SDK default (1000) would cap 256
            // workers at 1000 / 5 ms regardless, which is the point of making it configurable.
            .maxInFlight(Math.max(1000, workers * 8))
            .maxInFlightPerPartition(Math.max(500, workers * 8 / PARTITIONS + 1))
            .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .handler(
                record -> {
                  TimeUnit.MICROSECONDS.sleep(HANDLER_MICROS);
                  handled.increment();
                })
            .build()) {
      runner.start();
      // The warm-up starts once the group has settled: joining twelve consumers can take seconds,
      // and a join still running inside a short window halved a quick-mode trial.
      GroupMembership.awaitStable(
          kafka,
          group,
          strategy instanceof Strategy.ThreadPerPartition ? PARTITIONS : 1,
          () -> runner.assignment().size(),
          PARTITIONS,
          Duration.ofMinutes(2));
      Workloads.park(warmup);
      long startCount = handled.sum();
      // The runner and its threads are named after its group; the pool's workers exist by now.
      CpuPerRecord cpu = CpuPerRecord.ofRunner(group, startCount);
      long started = System.nanoTime();
      Workloads.park(window);
      long elapsed = System.nanoTime() - started;
      long count = handled.sum() - startCount;
      Trial perRecord = cpu.addTo(Trial.throughput(count, 0, elapsed), handled.sum());
      if (handled.sum() >= filled) {
        throw new IllegalStateException(
            "the topic's "
                + filled
                + " records ran out before the window ended: the rate would be understated");
      }
      Trial trial = Trial.throughput(count, count * 100L, elapsed);
      return new Trial(
          trial.value(),
          trial.unit(),
          Map.of(
              "poll_ns/rec",
              perRecord.extra().get("poll_ns/rec"),
              "worker_ns/rec",
              perRecord.extra().get("worker_ns/rec"),
              "cpu_ns/rec",
              perRecord.extra().get("cpu_ns/rec"),
              "workers",
              (double) workers,
              "ideal",
              computedBaseline(
                  strategy instanceof Strategy.ThreadPerPartition
                      ? "thread-per-partition"
                      : (((Strategy.MultiWorker) strategy).ordering() == Ordering.KEY
                              ? "multi-worker-key-"
                              : "multi-worker-unordered-")
                          + workers)));
    }
  }
}
