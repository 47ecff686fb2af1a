package dev.kafkasdk.reliability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Live input for a fault scenario: a thread that sends the next payload for {@code key-0}, {@code
 * key-1}, ... in turn, one per interval, until stopped, so every fault meets traffic. It keeps to a
 * schedule rather than pausing after each send, so a send slowed by a fault is made up by the
 * following ones and the average rate stays what the scenario chose.
 */
final class PacedSender {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final Thread thread;

  private PacedSender(HistoryProducer writer, int keys, Duration interval, String threadName) {
    long intervalNanos = interval.toNanos();
    this.thread =
        new Thread(
            () -> {
              long next = System.nanoTime();
              for (int i = 0; running.get(); i++) {
                writer.send("key-" + (i % keys));
                sent.incrementAndGet();
                next += intervalNanos;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                  LockSupport.parkNanos(wait);
                }
              }
            },
            threadName);
  }

  /**
   * Starts sending.
   *
   * @param writer records every send in the scenario's history
   * @param keys how many keys to cycle through
   * @param interval the time between two sends
   * @param threadName the sending thread's name
   * @return the running sender
   */
  static PacedSender start(HistoryProducer writer, int keys, Duration interval, String threadName) {
    PacedSender sender = new PacedSender(writer, keys, interval, threadName);
    sender.thread.start();
    return sender;
  }

  /** How many sends were started so far: the next send is the payload with this index. */
  int sent() {
    return sent.get();
  }

  /** Asks the thread to stop after its current send, without waiting for it. */
  void stop() {
    running.set(false);
  }

  /**
   * Stops and waits up to a minute for the thread to end, so that every send has been started
   * before the caller flushes the producer.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void stopAndJoin() throws InterruptedException {
    stop();
    thread.join(TimeUnit.MINUTES.toMillis(1));
  }
}
