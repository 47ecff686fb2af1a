package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.reliability.Events.Delivery;
import dev.kafkasdk.reliability.Events.InjectedAbort;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The SDK's exactly-once copier ({@link ConsumerRunner.Builder#exactlyOnce}) in its own JVM, so a
 * test can kill it with {@code SIGKILL} or freeze it with {@code SIGSTOP}. It copies every input
 * record unchanged to the output topic and appends every handler call to a deliveries file in the
 * format of {@link RunnerProcess}. Two kinds of failure are injected at seeded points:
 *
 * <ul>
 *   <li>The handler throws for a seeded share of its calls. The runner commits the records before
 *       the failing one and calls that record again on its own; no transaction aborts.
 *   <li>The send of a seeded share of output records (chosen by payload) throws a plain {@link
 *       KafkaException} in the output producer's {@link FailingSendPartitioner}, once per record
 *       and process. The transaction itself fails: its producer is retired, the open transaction is
 *       ended by a fresh producer's {@code initTransactions()} (an abort), and the runner rewinds
 *       to the committed offsets. Each such failure is appended to {@link #aborts(Path)}.
 * </ul>
 *
 * <p>Each output record carries the headers {@value #WRITER_HEADER} (the process name) and {@value
 * #CALL_HEADER} (the handler call number in this process), so a test can tell which process wrote
 * what.
 *
 * <p>Arguments: {@code bootstrap input output group transactionalIdPrefix name seed
 * handlerFailurePerMille sendFailurePerMille deliveriesFile parkAtCall}. When {@code parkAtCall} is
 * positive, that handler call creates the file {@code <deliveriesFile>.parked} (holding {@code
 * partition offset call}) and then waits, inside its open transaction, until the file {@code
 * <deliveriesFile>.release} exists: the test freezes the process at a known point of a transaction.
 * SIGTERM closes the runner gracefully.
 */
public final class CopierProcess {
  /** Output header naming the process that wrote the record. */
  public static final String WRITER_HEADER = "copier-writer";

  /** Output header holding the handler call number (in the writing process) of the record. */
  public static final String CALL_HEADER = "copier-call";

  /** At most this many records per poll batch, hence per transaction. */
  static final int MAX_POLL_RECORDS = 10;

  /** Producer property that hands this JVM's {@link SendFailures} to the partitioner. */
  static final String SEND_FAILURES_PROPERTY = "ksdk.reliability.send-failures";

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
    long seed = Long.parseLong(args[6]);
    Random random = new Random(seed);
    int handlerFailurePerMille = Integer.parseInt(args[7]);
    int sendFailurePerMille = Integer.parseInt(args[8]);
    Path file = Path.of(args[9]);
    long parkAtCall = Long.parseLong(args[10]);
    FileOutputStream out = new FileOutputStream(file.toFile(), true);
    SendFailures sendFailures =
        new SendFailures(
            name, seed, sendFailurePerMille, new FileOutputStream(aborts(file).toFile(), true));
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
            // Injected failures are independent draws: never give up on a record because of them.
            .retry(RetryPolicy.builder().maxAttempts(1_000).build())
            .exactlyOnce(
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers(bootstrap)
                    .property(ProducerConfig.PARTITIONER_CLASS_CONFIG, FailingSendPartitioner.class)
                    .property(SEND_FAILURES_PROPERTY, sendFailures),
                prefix,
                (ConsumerRecord<String, String> record,
                    dev.kafkasdk.consumer.Output<String, String> o) -> {
                  long start = System.nanoTime();
                  long call = calls.incrementAndGet();
                  if (call == parkAtCall) {
                    park(file, record.partition() + " " + record.offset() + " " + call);
                  }
                  boolean fail;
                  synchronized (random) {
                    fail = random.nextInt(1000) < handlerFailurePerMille;
                  }
                  if (fail) {
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
   * @param handlerFailurePerMille share of handler calls that throw, in thousandths
   * @param sendFailurePerMille share of output records whose first send fails, so their transaction
   *     aborts, in thousandths
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
      int handlerFailurePerMille,
      int sendFailurePerMille,
      Path deliveries,
      long parkAtCall)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add(ChildProcessCluster.CLIENT_COMPILER_ONLY);
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
            Integer.toString(handlerFailurePerMille),
            Integer.toString(sendFailurePerMille),
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
   * The file of the transactions a copier made fail on purpose, one {@code name,payload,nanos} line
   * each, written before the send throws.
   *
   * @param deliveries the copier's deliveries file
   * @return the aborts file
   */
  public static Path aborts(Path deliveries) {
    return deliveries.resolveSibling(deliveries.getFileName() + ".aborts");
  }

  /**
   * Reads back the transactions a copier made fail on purpose; a line cut short by a kill is
   * ignored.
   *
   * @param deliveries the copier's deliveries file
   * @return the injected aborts, in the order they happened
   */
  public static List<InjectedAbort> readAborts(Path deliveries) {
    List<InjectedAbort> aborts = new ArrayList<>();
    Path file = aborts(deliveries);
    try {
      if (!Files.exists(file)) {
        return aborts;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(",");
        if (f.length == 3) {
          aborts.add(new InjectedAbort(f[0], Payload.decode(f[1]), Long.parseLong(f[2])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return aborts;
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

  /**
   * Picks the output records whose send fails: a record fails if a draw seeded with the process
   * seed and its value falls within the share, so the choice does not depend on thread timing, and
   * only on its first send in this process, so its retry gets through.
   */
  static final class SendFailures {
    private final String name;
    private final long seed;
    private final int perMille;
    private final FileOutputStream out;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    SendFailures(String name, long seed, int perMille, FileOutputStream out) {
      this.name = name;
      this.seed = seed;
      this.perMille = perMille;
      this.out = out;
    }

    /** Throws for a picked record's first send, after recording it. */
    void failIfPicked(String value) {
      if (perMille == 0
          || new SplittableRandom(seed ^ value.hashCode()).nextInt(1000) >= perMille
          || !failed.add(value)) {
        return;
      }
      try {
        write(out, name + "," + value + "," + System.nanoTime() + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new KafkaException("injected: the send of " + value + " fails");
    }
  }

  /**
   * The copier's output partitioner: partitions by key hash like Kafka's default partitioner, and
   * lets {@link SendFailures} (producer property {@value #SEND_FAILURES_PROPERTY}) fail a send. A
   * {@link KafkaException} from the partitioner is thrown by {@code KafkaProducer.send} itself; the
   * SDK classifies it as fatal to the producer.
   */
  public static final class FailingSendPartitioner implements Partitioner {
    private SendFailures failures;

    /** Created by Kafka from {@code partitioner.class}. */
    public FailingSendPartitioner() {}

    @Override
    public void configure(Map<String, ?> configs) {
      failures = (SendFailures) configs.get(SEND_FAILURES_PROPERTY);
    }

    @Override
    public int partition(
        String topic,
        Object key,
        byte[] keyBytes,
        Object value,
        byte[] valueBytes,
        Cluster cluster) {
      failures.failIfPicked((String) value);
      int partitions = cluster.partitionsForTopic(topic).size();
      return keyBytes == null ? 0 : Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    @Override
    public void close() {}
  }

  /** Thrown by the handler on purpose; the runner calls the record again on its own. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(long call) {
      super("injected failure at handler call " + call);
    }
  }
}
