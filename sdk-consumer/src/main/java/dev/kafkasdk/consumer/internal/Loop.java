package dev.kafkasdk.consumer.internal;

import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** One consumer thread's loop, as the engine sees it. */
interface Loop extends Runnable {
  String name();

  Set<TopicPartition> assignment();

  boolean isLoopThread();

  /** Asks the loop to stop; the earliest deadline of several requests wins. Any thread. */
  void requestStop(Duration timeout);
}
