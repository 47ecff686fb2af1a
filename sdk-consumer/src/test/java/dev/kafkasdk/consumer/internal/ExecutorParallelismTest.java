package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The parallelism the runner reads from an application's executor. */
class ExecutorParallelismTest {

  @Test
  void aPoolTellsHowManyThreadsItRunsAndOtherExecutorsGetTheDefault() {
    ExecutorService fixed = Executors.newFixedThreadPool(8);
    ExecutorService scheduled = Executors.newScheduledThreadPool(3);
    ExecutorService cached = Executors.newCachedThreadPool();
    ExecutorService bounded =
        new ThreadPoolExecutor(2, 12, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(10));
    ExecutorService forkJoin = new ForkJoinPool(5);
    ExecutorService wrapped = Executors.unconfigurableExecutorService(fixed);
    try {
      assertThat(ExecutorParallelism.of(fixed)).isEqualTo(8);
      assertThat(ExecutorParallelism.of(scheduled)).isEqualTo(3);
      assertThat(ExecutorParallelism.of(cached)).isEqualTo(ExecutorParallelism.UNKNOWN);
      assertThat(ExecutorParallelism.of(bounded)).isEqualTo(12);
      assertThat(ExecutorParallelism.of(forkJoin)).isEqualTo(5);
      assertThat(ExecutorParallelism.of(wrapped)).isEqualTo(ExecutorParallelism.UNKNOWN);
    } finally {
      List.of(fixed, scheduled, cached, bounded, forkJoin).forEach(ExecutorService::shutdownNow);
    }
  }

  /**
   * A virtual-thread-per-task executor (Java 21+, reached by reflection: the module targets Java
   * 17) starts every task at once: the runner must not cap it at {@link
   * ExecutorParallelism#UNKNOWN}, which held an I/O-bound handler to 64 calls at once. Skipped on a
   * JVM older than 21 (run it with {@code JAVA_HOME} set to a Java 21+ JDK).
   */
  @Test
  void aVirtualThreadPerTaskExecutorIsNotCappedAtTheDefault() throws Exception {
    java.lang.reflect.Method factory;
    try {
      factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException olderThan21) {
      org.junit.jupiter.api.Assumptions.abort("virtual threads need Java 21+");
      return;
    }
    ExecutorService virtualThreads = (ExecutorService) factory.invoke(null);
    try {
      // At least the 1,000 calls at once of the I/O-bound benchmark's virtual-thread variant.
      assertThat(ExecutorParallelism.of(virtualThreads)).isGreaterThanOrEqualTo(1_000);
    } finally {
      virtualThreads.shutdownNow();
    }
  }
}
