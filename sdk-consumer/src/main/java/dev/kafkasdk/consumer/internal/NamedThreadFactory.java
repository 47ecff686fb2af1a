package dev.kafkasdk.consumer.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names handler threads {@code prefix-1}, {@code prefix-2}, ... so thread dumps show whose they
 * are. They are daemon threads: the poll threads keep the JVM alive while a runner runs, and a
 * handler abandoned at close (one that ignores interruption) must not keep it alive afterwards.
 */
final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger sequence = new AtomicInteger();

  NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + sequence.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
