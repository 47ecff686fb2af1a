package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.consumer.RetryPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link ShareWorkers} hands records to its workers: a poll's records start at most one task
 * per worker (a busy worker takes the next record itself), and every record still gets exactly one
 * outcome, reported to the poll thread.
 */
class ShareWorkersDrainTest {
  private static final int WORKERS = 3;
  private static final int RECORDS = 200;

  private final ExecutorService threads = Executors.newFixedThreadPool(WORKERS);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    threads.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void aPollStartsAtMostOneTaskPerWorkerAndEveryRecordGetsOneOutcome() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    List<Runnable> held = new ArrayList<>();
    // Holds the tasks until the whole poll is submitted, as a busy machine may: the count of tasks
    // then does not depend on how fast the workers are.
    ExecutorService executor =
        new java.util.concurrent.AbstractExecutorService() {
          @Override
          public void execute(Runnable task) {
            tasks.incrementAndGet();
            synchronized (held) {
              held.add(task);
            }
          }

          @Override
          public void shutdown() {}

          @Override
          public List<Runnable> shutdownNow() {
            return List.of();
          }

          @Override
          public boolean isShutdown() {
            return false;
          }

          @Override
          public boolean isTerminated() {
            return false;
          }

          @Override
          public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
          }
        };
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    RecordHandler<String, String> handler =
        record ->
            calls.computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
    RunnerMetrics metrics = new RunnerMetrics(new SimpleMeterRegistry(), "drain", List.of());
    ShareWorkers<String, String> workers =
        new ShareWorkers<>(
            executor,
            WORKERS,
            HandlerInvoker.of(handler),
            new FailureSupport<>(
                new RecordDecoder<>(new StringDeserializer(), new StringDeserializer()),
                new ConfiguredFailurePolicy(
                    "drain", RetryPolicy.none(), FailureAction.skip(), null, metrics),
                Gate.OPEN,
                timer),
            metrics,
            metrics.shareMeters());

    for (int offset = 0; offset < RECORDS; offset++) {
      workers.submit(record(offset));
    }
    assertThat(tasks.get()).as("tasks started for %d records", RECORDS).isEqualTo(WORKERS);
    synchronized (held) {
      held.forEach(threads::execute);
    }

    Map<Long, AcknowledgeType> outcomes = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outcomes.size() < RECORDS && System.nanoTime() - deadline < 0) {
      ShareWorkers.Outcome outcome = workers.await(TimeUnit.MILLISECONDS.toNanos(100));
      for (; outcome != null; outcome = workers.poll()) {
        AcknowledgeType previous = outcomes.put(outcome.id().offset(), outcome.type());
        assertThat(previous).as("a second outcome for %s", outcome.id()).isNull();
      }
    }
    assertThat(outcomes)
        .hasSize(RECORDS)
        .allSatisfy((offset, type) -> assertThat(type).isEqualTo(AcknowledgeType.ACCEPT));
    assertThat(calls)
        .hasSize(RECORDS)
        .allSatisfy((offset, count) -> assertThat(count.get()).isEqualTo(1));
    assertThat(workers.open()).isZero();
    assertThat(tasks.get()).as("tasks started in all").isEqualTo(WORKERS);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset) {
    byte[] value = ("v" + offset).getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        "t",
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        1,
        value.length,
        "k".getBytes(StandardCharsets.UTF_8),
        value,
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) 1));
  }
}
