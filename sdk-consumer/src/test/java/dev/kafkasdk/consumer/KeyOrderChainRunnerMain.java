package dev.kafkasdk.consumer;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * A runner whose retry chain keeps key order, in its own JVM, for {@link
 * RetryTopicsKeyOrderCrashTest} to kill with SIGKILL. Values are {@code <key>-<i>}; records 2 and 6
 * of each key fail until their own second retry, decided from their headers alone, so a restarted
 * runner decides the same way. Each success is appended to a log as {@code key partition offset}
 * with a single write before the handler returns.
 */
public final class KeyOrderChainRunnerMain {
  static final List<Duration> DELAYS = List.of(Duration.ofMillis(400), Duration.ofMillis(1200));

  private KeyOrderChainRunnerMain() {}

  /**
   * Runs until killed.
   *
   * @param args bootstrap servers, topic, group id, log file
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    OutputStream log = new FileOutputStream(args[3], true);
    ConsumerRunner<String, String> runner = runner(args[0], args[1], args[2], log).build();
    runner.start();
    runner.awaitTermination(Duration.ofMinutes(10));
  }

  /** The runner both the child and the test's second runner use. */
  static ConsumerRunner.Builder<String, String> runner(
      String bootstrap, String topic, String group, OutputStream log) {
    return ConsumerRunner.builder()
        .bootstrapServers(bootstrap)
        .topics(topic)
        .groupId(group)
        .property("session.timeout.ms", 6000)
        .strategy(Strategy.multiWorker(4, Ordering.KEY))
        .commitInterval(Duration.ofMillis(100))
        .onFailure(FailureAction.retryTopics(RetryTopics.delays(DELAYS).keepKeyOrder()))
        .handler(
            record -> {
              Header attempt = record.headers().lastHeader(RetryTopicHeaders.ATTEMPT);
              int own =
                  attempt == null
                      ? 0
                      : Integer.parseInt(new String(attempt.value(), StandardCharsets.UTF_8));
              String index = record.value().substring(record.value().lastIndexOf('-') + 1);
              if ((index.equals("2") || index.equals("6")) && own < 2) {
                throw new IllegalStateException("flaky until its second retry");
              }
              byte[] line =
                  (record.key() + " " + record.partition() + " " + record.offset() + "\n")
                      .getBytes(StandardCharsets.US_ASCII);
              synchronized (log) {
                try {
                  log.write(line);
                  log.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            });
  }
}
