package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.reliability.Events.Delivery;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The SDK's exactly-once copier ({@link ConsumerRunner.Builder#exactlyOnce}) in its own JVM, so a
 * test can kill it with {@code SIGKILL} or freeze it with {@code SIGSTOP}. It copies every input
 * record unchanged to the output topic, throws on purpose for a seeded share of handler calls (the
 * transaction of the poll batch aborts and the runner rewinds), and appends every handler call to a
 * deliveries file in the format of {@link RunnerProcess}.
 *
 * <p>Each output record carries the headers {@value #WRITER_HEADER} (the process name) and {@value
 * #CALL_HEADER} (the handler call number in this process), so a test can tell which process wrote
 * what.
 *
 * <p>Arguments: {@code bootstrap input output group transactionalIdPrefix name seed abortPerMille
 * deliveriesFile parkAtCall}. When {@code parkAtCall} is positive, that handler call creates the
 * file {@code <deliveriesFile>.parked} (holding {@code partition offset call}) and then waits,
 * inside its open transaction, until the file {@code <deliveriesFile>.release} exists: the test
 * freezes the process at a known point of a transaction. SIGTERM closes the runner gracefully.
 */
public final class CopierProcess {
  /** Output header naming the process that wrote the record. */
  public static final String WRITER_HEADER = "copier-writer";

  /** Output header holding the handler call number (in the writing process) of the record. */
  public static final String CALL_HEADER = "copier-call";

  /** At most this many records per poll batch, hence per transaction. */
  static final int MAX_POLL_RECORDS = 10;

  private CopierProcess() {}

  /**
   * Runs the copier until the JVM is told to stop.
   *
   * @param args see the class comment
   * @throws Exception if the copier cannot start
   */
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String input = args[1];
    String output = args[2];
    String group = args[3];
    String prefix = args[4];
    String name = args[5];
    Random random = new Random(Long.parseLong(args[6]));
    int abortPerMille = Integer.parseInt(args[7]);
    Path file = Path.of(args[8]);
    long parkAtCall = Long.parseLong(args[9]);
    FileOutputStream out = new FileOutputStream(file.toFile(), true);
    AtomicLong calls = new AtomicLong();
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(bootstrap)
            .groupId(group)
            .topics(input)
            .name(name)
            .strategy(Strategy.threadPerPartition())
            // Small batches: a transaction per batch, so an injected failure aborts few records.
            .property("max.poll.records", MAX_POLL_RECORDS)
            // A SIGKILLed member leaves no goodbye; 10 s instead of 45 s keeps each round short.
            .property("session.timeout.ms", 10_000)
            // Injected failures are independent draws: never give up on a batch because of them.
            .retry(RetryPolicy.builder().maxAttempts(1_000).build())
            .exactlyOnce(
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers(bootstrap),
                prefix,
                (ConsumerRecord<String, String> record,
                    dev.kafkasdk.consumer.Output<String, String> o) -> {
                  long start = System.nanoTime();
                  long call = calls.incrementAndGet();
                  if (call == parkAtCall) {
                    park(file, record.partition() + " " + record.offset() + " " + call);
                  }
                  boolean abort;
                  synchronized (random) {
                    abort = random.nextInt(1000) < abortPerMille;
                  }
                  if (abort) {
                    write(out, RunnerProcess.format(Delivery.failed(name, record, start)));
                    throw new InjectedFailure(call);
                  }
                  ProducerRecord<String, String> copy =
                      new ProducerRecord<>(output, record.key(), record.value());
                  copy.headers().add(WRITER_HEADER, name.getBytes(StandardCharsets.UTF_8));
                  copy.headers()
                      .add(CALL_HEADER, Long.toString(call).getBytes(StandardCharsets.UTF_8));
                  o.send(copy);
                  write(out, RunnerProcess.format(Delivery.finished(name, record, start)));
                })
            .build();
    ChildJvmRunner.runUntilTerminated(
        runner,
        name,
        () -> {
          System.out.println("TERMINATED " + name + " " + runner.state() + " " + runner.failure());
          System.out.flush();
        });
  }

  /**
   * Starts a copier JVM whose output goes to {@code <deliveriesFile>.log}.
   *
   * @param bootstrap bootstrap servers
   * @param input input topic
   * @param output output topic
   * @param group consumer group
   * @param prefix transactional id prefix
   * @param name process name, written into deliveries and output headers
   * @param seed seed of the injected failures
   * @param abortPerMille share of handler calls that throw, in thousandths
   * @param deliveries the deliveries file
   * @param parkAtCall the handler call that parks, or 0 for none
   * @return the process
   * @throws IOException if the JVM cannot be started
   */
  public static Process start(
      String bootstrap,
      String input,
      String output,
      String group,
      String prefix,
      String name,
      long seed,
      int abortPerMille,
      Path deliveries,
      long parkAtCall)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CopierProcess.class.getName());
    command.addAll(
        List.of(
            bootstrap,
            input,
            output,
            group,
            prefix,
            name,
            Long.toString(seed),
            Integer.toString(abortPerMille),
            deliveries.toString(),
            Long.toString(parkAtCall)));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log(deliveries).toFile()));
    return builder.start();
  }

  /**
   * The file a parked copier creates once it is parked.
   *
   * @param deliveries the copier's deliveries file
   * @return the marker file
   */
  public static Path parkedMarker(Path deliveries) {
    return deliveries.resolveSibling(deliveries.getFileName() + ".parked");
  }

  /**
   * The file that releases a parked copier once it exists.
   *
   * @param deliveries the copier's deliveries file
   * @return the release file
   */
  public static Path releaseMarker(Path deliveries) {
    return deliveries.resolveSibling(deliveries.getFileName() + ".release");
  }

  /**
   * The copier's standard output and error.
   *
   * @param deliveries the copier's deliveries file
   * @return the log file
   */
  public static Path log(Path deliveries) {
    return deliveries.resolveSibling(deliveries.getFileName() + ".log");
  }

  /**
   * Waits inside the open transaction until the test releases this call. The marker holds {@code
   * partition offset call} of the parked record.
   */
  private static void park(Path file, String where) throws IOException, InterruptedException {
    Files.writeString(parkedMarker(file), where + "\n");
    while (!Files.exists(releaseMarker(file))) {
      TimeUnit.MILLISECONDS.sleep(20); // waits for the test, not for Kafka
    }
  }

  private static void write(FileOutputStream out, String line) throws IOException {
    synchronized (out) {
      out.write(line.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Thrown by the handler on purpose, to abort the batch's transaction. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(long call) {
      super("injected failure at handler call " + call);
    }
  }
}
