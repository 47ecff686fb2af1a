package dev.kafkasdk.consumer.internal;

import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** One consumer thread's loop, as the engine sees it. */
interface Loop extends Runnable {
  /** What a loop tells the engine that runs it. */
  interface Owner {
    /** The loop stops because of {@code error}; called once, on the loop's thread. */
    void loopFailed(Throwable error);

    /** The loop's thread is about to end; its clients are closed. */
    void loopTerminated();
  }

  String name();

  Set<TopicPartition> assignment();

  /** The assigned partitions the application paused, as last applied; any thread. */
  Set<TopicPartition> userPaused();

  boolean isLoopThread();

  /** Asks the loop to stop; the earliest deadline of several requests wins. Any thread. */
  void requestStop(Duration timeout);
}
