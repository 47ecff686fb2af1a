package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.ConsumerMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Prints one plain line per second: orders produced, records processed and the rate, the group's
 * lag, records in flight (and the in-flight limit in force) and dead letters. Processing figures
 * come from the runner's meters ({@link ConsumerMeters}); lag and dead letters from the Admin
 * client, as a monitoring system would read them.
 */
final class ProgressReporter implements AutoCloseable {
  private static final TimeUnit SECONDS = TimeUnit.SECONDS;

  private final PrintStream out;
  private final MeterRegistry registry;
  private final Admin admin;
  private final String groupId;
  private final String inputTopic;
  private final String deadLetterTopic;
  private final LongSupplier produced;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "demo-progress");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong lastSeenProcessed = new AtomicLong();
  private final AtomicLong lastSeenDeadLettered = new AtomicLong();
  private double lastProcessed;
  private long lastNanos = startNanos;

  ProgressReporter(
      PrintStream out,
      MeterRegistry registry,
      Admin admin,
      String groupId,
      String inputTopic,
      String deadLetterTopic,
      LongSupplier produced) {
    this.out = out;
    this.registry = registry;
    this.admin = admin;
    this.groupId = groupId;
    this.inputTopic = inputTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.produced = produced;
  }

  void start() {
    timer.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Records the runner finished successfully, from {@code ksdk.consumer.records}. The runner
   * removes its meters when it stops, so the last value seen is kept.
   */
  long processed() {
    Counter counter =
        registry.find(ConsumerMeters.RECORDS).tag(ConsumerMeters.TAG_OUTCOME, "success").counter();
    if (counter != null) {
      lastSeenProcessed.accumulateAndGet((long) counter.count(), Math::max);
    }
    return lastSeenProcessed.get();
  }

  /**
   * Dead letters the broker acknowledged, from {@code ksdk.consumer.dead.letters}; the last value
   * seen is kept, like {@link #processed()}.
   */
  long deadLettered() {
    Counter counter =
        registry
            .find(ConsumerMeters.DEAD_LETTERS)
            .tag(ConsumerMeters.TAG_RESULT, "success")
            .counter();
    if (counter != null) {
      lastSeenDeadLettered.accumulateAndGet((long) counter.count(), Math::max);
    }
    return lastSeenDeadLettered.get();
  }

  synchronized void report() {
    long now = System.nanoTime();
    long processed = processed();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    long rate = Math.round((processed - lastProcessed) / seconds);
    lastProcessed = processed;
    lastNanos = now;
    Gauge inFlight = registry.find(ConsumerMeters.IN_FLIGHT).gauge();
    // The limit in force: the default 5,000 here, because the demo's handler is slow; a cheap
    // handler's runner raises it (see ConsumerRunner.Builder#maxInFlight).
    Gauge limit = registry.find(ConsumerMeters.IN_FLIGHT_LIMIT).gauge();
    out.printf(
        "[%5.1fs] produced %d  processed %d (%d records/s)  lag %s  in-flight %d%s  dead letters"
            + " %s%n",
        (now - startNanos) / 1e9,
        produced.getAsLong(),
        processed,
        rate,
        orUnknown(this::lag),
        inFlight == null ? 0 : (long) inFlight.value(),
        // The runner removes its meters when it stops.
        limit == null ? "" : " of " + (long) limit.value(),
        orUnknown(this::deadLetters));
  }

  /** Sum over the input partitions of end offset minus the group's committed offset. */
  private long lag() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(5, SECONDS);
    Map<TopicPartition, Long> end = endOffsets(inputTopic);
    return end.entrySet().stream()
        .mapToLong(
            e -> {
              OffsetAndMetadata c = committed.get(e.getKey());
              return e.getValue() - (c == null ? 0 : c.offset());
            })
        .sum();
  }

  /** Records in the dead-letter topic; 0 while it does not exist. */
  private long deadLetters() throws Exception {
    if (!admin.listTopics().names().get(5, SECONDS).contains(deadLetterTopic)) {
      return 0;
    }
    return endOffsets(deadLetterTopic).values().stream().mapToLong(Long::longValue).sum();
  }

  private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(5, SECONDS)
            .get(topic)
            .partitions()
            .stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get(5, SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static String orUnknown(Query query) {
    try {
      return Long.toString(query.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    } catch (Exception e) {
      // Progress is informational; a slow Admin call must not stop the demo.
      return "?";
    }
  }

  @FunctionalInterface
  private interface Query {
    long get() throws Exception;
  }

  /** Stops the timer and prints a last line; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      timer.shutdownNow();
      report();
    }
  }
}
