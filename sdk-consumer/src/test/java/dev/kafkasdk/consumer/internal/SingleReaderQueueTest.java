package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The completion queue between workers and the poll thread: adds never wake a reader that is not
 * waiting, a waiting reader is woken once however many add, and no item or wake-up is lost.
 */
class SingleReaderQueueTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void addsWakeNoReaderThatIsNotWaiting() throws Exception {
    SingleReaderQueue<Integer> queue = new SingleReaderQueue<>();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int first = w * 1_000;
      writers.add(
          threads.submit(
              () -> {
                for (int i = first; i < first + 1_000; i++) {
                  queue.add(i);
                }
              }));
    }
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }

    assertThat(queue.wakeUps()).isZero();
    Set<Integer> taken = new HashSet<>();
    for (Integer item; (item = queue.poll()) != null; ) {
      taken.add(item);
    }
    assertThat(taken).hasSize(4_000);
  }

  @Test
  void aWaitingReaderIsWokenOnceHoweverManyAdd() throws Exception {
    SingleReaderQueue<Integer> queue = new SingleReaderQueue<>();
    CompletableFuture<Integer> first =
        CompletableFuture.supplyAsync(() -> take(queue, TimeUnit.MINUTES.toNanos(1)), threads);
    await().atMost(Duration.ofSeconds(30)).until(queue::readerWaits);

    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int item = w;
      writers.add(
          threads.submit(
              () -> {
                go.await();
                return queue.add(item);
              }));
    }
    go.countDown();
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }

    assertThat(first.get(30, TimeUnit.SECONDS)).isBetween(0, 7);
    // Only the writer that found the reader waiting woke it; the other seven just enqueued.
    assertThat(queue.wakeUps()).isEqualTo(1);
    assertThat(queue).hasSize(7);
  }

  @Test
  void anItemAlreadyQueuedIsTakenWithoutWaiting() throws Exception {
    SingleReaderQueue<String> queue = new SingleReaderQueue<>();
    queue.add("a");

    assertThat(queue.poll(TimeUnit.MINUTES.toNanos(1))).isEqualTo("a");
    assertThat(queue.wakeUps()).isZero();
  }

  @Test
  void aWaitWithNothingAddedEndsEmptyAtItsTimeout() throws Exception {
    SingleReaderQueue<String> queue = new SingleReaderQueue<>();

    assertThat(queue.poll(TimeUnit.MILLISECONDS.toNanos(20))).isNull();
    assertThat(queue.readerWaits()).isFalse();
  }

  @Test
  void anInterruptedReaderStopsWaiting() {
    SingleReaderQueue<String> queue = new SingleReaderQueue<>();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> queue.poll(TimeUnit.MINUTES.toNanos(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(queue.readerWaits()).isFalse();
  }

  /**
   * Writers race a reader that waits for every item: a lost wake-up would leave the reader waiting
   * out its one-minute timeout with items queued, and the test's 60-second bound would fail.
   */
  @Test
  void noWakeUpIsLostWhileWritersRaceAWaitingReader() throws Exception {
    SingleReaderQueue<Integer> queue = new SingleReaderQueue<>();
    int writers = 4;
    int perWriter = 10_000;
    for (int w = 0; w < writers; w++) {
      int first = w * perWriter;
      threads.submit(
          () -> {
            for (int i = first; i < first + perWriter; i++) {
              if (i % 100 == 0) {
                // Bursts that start while the reader waits, so adds race its wake-up every time.
                while (!queue.readerWaits()) {
                  Thread.yield();
                }
              }
              queue.add(i);
            }
          });
    }
    Future<Set<Integer>> reader =
        threads.submit(
            () -> {
              Set<Integer> taken = new HashSet<>();
              while (taken.size() < writers * perWriter) {
                Integer item = queue.poll(TimeUnit.MINUTES.toNanos(1));
                assertThat(item).as("an item came within the wait").isNotNull();
                taken.add(item);
              }
              return taken;
            });

    assertThat(reader.get(60, TimeUnit.SECONDS)).hasSize(writers * perWriter);
    assertThat(queue.wakeUps()).isPositive();
  }

  private static <E> E take(SingleReaderQueue<E> queue, long timeoutNanos) {
    try {
      return queue.poll(timeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
