package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.ConsumerRunner;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a runner lives in a child JVM that a test kills: it prints {@code READY <name>} once started
 * (the parent waits for that line), closes cleanly on SIGTERM through a shutdown hook, and
 * otherwise runs until it terminates or the JVM is killed with {@code kill -9}. {@link
 * #stop(Process)} is the parent's side of the graceful end.
 */
final class ChildJvmRunner {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

  private ChildJvmRunner() {}

  /**
   * Starts the runner and blocks until it has terminated and, after a SIGTERM, closed.
   *
   * @param runner a built, not yet started runner
   * @param name the name printed in the {@code READY} line
   * @param onTerminated runs once the runner has terminated, before the close is awaited
   * @throws InterruptedException if interrupted while waiting
   */
  static void runUntilTerminated(ConsumerRunner<?, ?> runner, String name, Runnable onTerminated)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.close(CLOSE_TIMEOUT);
                  stopped.countDown();
                }));
    runner.start();
    System.out.println("READY " + name);
    System.out.flush();
    runner.awaitTermination(Duration.ofDays(1));
    onTerminated.run();
    stopped.await(30, TimeUnit.SECONDS);
  }

  /**
   * Stops a child JVM started with this lifecycle: SIGTERM (the runner closes gracefully), then
   * SIGKILL if it has not exited after 60 s. The wait is well above the child's own close timeout,
   * so only a child that hangs is killed.
   *
   * @param process the child JVM
   * @throws InterruptedException if interrupted while waiting
   */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
