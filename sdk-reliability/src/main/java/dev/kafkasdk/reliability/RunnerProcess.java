package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.reliability.Events.Delivery;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link ConsumerRunner} in its own JVM, so a test can kill it with {@code SIGKILL} at any
 * moment. Every finished handler call is appended to a file with one {@code write} system call,
 * which the kernel keeps even when the process is killed right after.
 *
 * <p>Arguments: {@code bootstrap topic group strategy maxDelayMillis deliveriesFile runnerName
 * seed}, where strategy is {@code tpp}, {@code key-N}, {@code partition-N} or {@code unordered-N}.
 * SIGTERM closes the runner gracefully.
 */
public final class RunnerProcess {
  private RunnerProcess() {}

  /**
   * Runs the runner until the JVM is told to stop.
   *
   * @param args see the class comment
   * @throws Exception if the runner cannot start
   */
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    Strategy strategy = strategy(args[3]);
    int maxDelay = Integer.parseInt(args[4]);
    Path file = Path.of(args[5]);
    String name = args[6];
    Random random = new Random(Long.parseLong(args[7]));
    FileOutputStream out = new FileOutputStream(file.toFile(), true);
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(bootstrap)
            .groupId(group)
            .topics(topic)
            .strategy(strategy)
            .commitInterval(Duration.ofMillis(200))
            // A SIGKILLed member leaves no goodbye: the group waits a session timeout before the
            // next runner gets its partitions. 10 s instead of 45 s keeps each kill round short.
            .property("session.timeout.ms", 10_000)
            .handler(
                record -> {
                  long start = System.nanoTime();
                  int delay;
                  synchronized (random) {
                    delay = maxDelay == 0 ? 0 : random.nextInt(maxDelay + 1);
                  }
                  if (delay > 0) {
                    TimeUnit.MILLISECONDS.sleep(delay); // simulated work
                  }
                  String line = format(Delivery.finished(name, record, start));
                  synchronized (out) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                  }
                })
            .build();
    ChildJvmRunner.runUntilTerminated(runner, name, () -> {});
  }

  static Strategy strategy(String spec) {
    if (spec.equals("tpp")) {
      return Strategy.threadPerPartition();
    }
    int dash = spec.indexOf('-');
    int workers = Integer.parseInt(spec.substring(dash + 1));
    Ordering ordering =
        Ordering.valueOf(spec.substring(0, dash).toUpperCase(java.util.Locale.ROOT));
    return Strategy.multiWorker(workers, ordering);
  }

  static String format(Delivery d) {
    return String.join(
            ",",
            d.runner(),
            Long.toString(d.generation()),
            d.partition().topic(),
            Integer.toString(d.partition().partition()),
            Long.toString(d.offset()),
            d.payload().encode(),
            Long.toString(d.startNanos()),
            Long.toString(d.endNanos()),
            Boolean.toString(d.succeeded()))
        + "\n";
  }

  /**
   * Reads back the deliveries a runner process wrote; a line cut short by a kill is ignored.
   *
   * @param file the deliveries file
   * @return the complete lines, parsed
   */
  public static List<Delivery> read(Path file) {
    List<Delivery> deliveries = new ArrayList<>();
    try {
      if (!Files.exists(file)) {
        return deliveries;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(",");
        if (f.length != 9) {
          continue;
        }
        deliveries.add(
            new Delivery(
                f[0],
                Long.parseLong(f[1]),
                new TopicPartition(f[2], Integer.parseInt(f[3])),
                Long.parseLong(f[4]),
                Payload.decode(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                Boolean.parseBoolean(f[8])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deliveries;
  }

  /**
   * Counts the handler calls recorded in several deliveries files, e.g. of the runner processes
   * that one test started one after another.
   *
   * @param files the deliveries files; a missing file counts as none
   * @return the number of complete lines over all files
   */
  static int handled(List<Path> files) {
    return files.stream().mapToInt(f -> read(f).size()).sum();
  }
}
