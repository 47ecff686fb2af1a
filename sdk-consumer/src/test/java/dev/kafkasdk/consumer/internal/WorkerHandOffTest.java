package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.Ordering;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker that finishes an item takes the next ready one itself: queued work costs no hand-off to
 * an idle worker (an executor task, and with a thread pool an unpark) per item, only one task per
 * worker place. Counted by the executor's {@code execute} calls, not by timing.
 */
class WorkerHandOffTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);
  private static final int PLACES = 2;
  private static final int RECORDS = 40;

  private final ExecutorService pool = Executors.newFixedThreadPool(PLACES);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final LinkedBlockingQueue<Completion<String, String>> completions =
      new LinkedBlockingQueue<>();
  private final AtomicInteger tasks = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  /**
   * KEY ordering with 40 keys: 40 lanes of one record each. (UNORDERED cuts a poll into about one
   * unit per worker place, so it would pass even with a hand-off per unit.)
   */
  @Test
  void queuedItemsRunOnTheWorkersAlreadyRunningWithoutAHandOffEach() throws Exception {
    CountDownLatch allQueued = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    Dispatcher<String, String> dispatcher =
        new DispatcherFixture(
                command -> {
                  tasks.incrementAndGet();
                  pool.execute(command);
                },
                timer,
                completions)
            .ordering(Ordering.KEY)
            .parallelism(PLACES)
            // Never the KEY fast path: every record is its own unit in its key's lane.
            .cheapEnough(records -> false)
            .invoker(
                HandlerInvoker.of(
                    record -> {
                      // The first calls hold their workers until every record is queued, so the
                      // rest can only run on workers that finish an item and look for the next.
                      allQueued.await(30, TimeUnit.SECONDS);
                      handled.incrementAndGet();
                    }))
            .build();
    PartitionState<String, String> state = new PartitionState<>(TP, 1);

    dispatcher.dispatch(state, records(RECORDS, RECORDS));
    allQueued.countDown();
    int covered = 0;
    while (covered < RECORDS) {
      Completion<String, String> completion = completions.poll(30, TimeUnit.SECONDS);
      assertThat(completion).as("completion after %d records", covered).isNotNull();
      dispatcher.settled(completion);
      covered += completion.work().records().size();
    }

    assertThat(handled).hasValue(RECORDS);
    // One task per worker place: every other item was taken by a worker that had just finished.
    assertThat(tasks).hasValue(PLACES);
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int count, int keys) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          new ConsumerRecord<>(
              TP.topic(),
              TP.partition(),
              i,
              ("k" + (i % keys)).getBytes(StandardCharsets.UTF_8),
              ("v" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return records;
  }
}
