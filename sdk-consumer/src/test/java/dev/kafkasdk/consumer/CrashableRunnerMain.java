package dev.kafkasdk.consumer;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runner in its own JVM, for {@link CrashRecoveryTest} to kill with SIGKILL. Each processed
 * record is appended to a log file as {@code partition offset} with a single write, before the
 * handler returns, so the log is a superset of what the runner may have committed.
 */
public final class CrashableRunnerMain {
  private CrashableRunnerMain() {}

  /**
   * Runs until killed.
   *
   * @param args bootstrap servers, topic, group id, log file
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    OutputStream log = new FileOutputStream(args[3], true);
    AtomicInteger processed = new AtomicInteger();
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(args[0])
            .topics(args[1])
            .groupId(args[2])
            .property("session.timeout.ms", 6000)
            .strategy(Strategy.multiWorker(8, Ordering.UNORDERED))
            .commitInterval(Duration.ofMillis(100))
            .handler(
                record -> {
                  // Quick at first, then slow, so the kill lands while records are in flight.
                  int delay = processed.get() < 1000 ? 2 : 40;
                  Thread.sleep(ThreadLocalRandom.current().nextInt(delay) + 1);
                  byte[] line =
                      (record.partition() + " " + record.offset() + "\n")
                          .getBytes(StandardCharsets.US_ASCII);
                  synchronized (log) {
                    log.write(line);
                  }
                  processed.incrementAndGet();
                })
            .build();
    runner.start();
    runner.awaitTermination(Duration.ofMinutes(10));
  }
}
