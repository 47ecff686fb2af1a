package dev.kafkasdk.consumer;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A share-group runner in its own JVM, for {@link ShareGroupCrashTest} to kill with SIGKILL. Its
 * handler appends {@code started <value>} to a log file and then never returns, so every record it
 * acquires is in flight when the kill lands.
 */
public final class CrashableShareRunnerMain {
  private CrashableShareRunnerMain() {}

  /**
   * Runs until killed.
   *
   * @param args bootstrap servers, topic, share group id, log file
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    OutputStream log = new FileOutputStream(args[3], true);
    CountDownLatch never = new CountDownLatch(1);
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(args[0])
            .topics(args[1])
            .groupId(args[2])
            .strategy(Strategy.shareGroup(1, 4))
            .handler(
                record -> {
                  byte[] line =
                      ("started " + record.value() + "\n").getBytes(StandardCharsets.US_ASCII);
                  synchronized (log) {
                    log.write(line);
                    log.flush();
                  }
                  never.await();
                })
            .build();
    runner.start();
    runner.awaitTermination(Duration.ofMinutes(10));
  }
}
