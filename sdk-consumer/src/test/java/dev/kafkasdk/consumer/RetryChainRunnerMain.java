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
 * A runner with a retry chain in its own JVM, for {@link RetryTopicsCrashTest} to kill with
 * SIGKILL. Every fifth record of the main topic fails in the main topic and in the first retry
 * topic and succeeds in the second, decided from its headers alone, so a restarted runner decides
 * the same way. Each success is appended to a log as {@code partition offset early} (the main
 * topic's partition and offset as the handler sees them; {@code early} 1 if the call came before
 * the record's due time) with a single write before the handler returns.
 */
public final class RetryChainRunnerMain {
  static final List<Duration> DELAYS = List.of(Duration.ofMillis(1500), Duration.ofMillis(3000));

  private RetryChainRunnerMain() {}

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
        .onFailure(FailureAction.retryTopics(RetryTopics.delays(DELAYS)))
        .handler(
            record -> {
              int stage = number(record.headers().lastHeader(RetryTopicHeaders.ATTEMPT), 0);
              if (record.offset() % 5 == 0 && stage < 2) {
                throw new IllegalStateException("flaky until the second retry");
              }
              long due = number(record.headers().lastHeader(RetryTopicHeaders.DUE_AT), 0L);
              int early = System.currentTimeMillis() < due ? 1 : 0;
              byte[] line =
                  (record.partition() + " " + record.offset() + " " + early + "\n")
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

  private static int number(Header header, int absent) {
    return header == null
        ? absent
        : Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
  }

  private static long number(Header header, long absent) {
    return header == null
        ? absent
        : Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
  }
}
