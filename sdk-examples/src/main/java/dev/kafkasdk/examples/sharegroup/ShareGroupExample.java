package dev.kafkasdk.examples.sharegroup;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A work queue on a share group (Kafka queues, KIP-932): thumbnail jobs that each take a few
 * milliseconds of I/O, handled by more consumers than the topic has partitions.
 *
 * <p><b>When to choose a share group</b> rather than a consumer-group runner ({@code
 * threadPerPartition()} or {@code multiWorker(...)}):
 *
 * <ul>
 *   <li>the records are independent jobs: no order is needed, not even per key (a share group gives
 *       none);
 *   <li>you want to scale consumers past the partition count, or add and remove them without
 *       waiting for a rebalance to hand over partitions;
 *   <li>a failed record should be redelivered on its own (to any consumer), without holding back
 *       the records behind it, and Kafka should count its deliveries.
 * </ul>
 *
 * <p>Stay with a consumer group when order matters, when you need exactly-once output (transactions
 * commit consumer-group offsets), or when your brokers are older than Kafka 4.2. The trade-offs are
 * in {@code docs/share-groups.md}.
 *
 * <p>What happens here: 60 jobs on 2 partitions, 3 share consumers with 4 workers each. Every fifth
 * job fails its first delivery (a flaky thumbnail service): the runner releases it ({@code
 * RELEASE}) and Kafka delivers it again, perhaps to another consumer. Two jobs point at corrupt
 * images and fail every time: after {@code maxAttempts} deliveries the runner publishes them to
 * {@code <topic>.DLT} and rejects them ({@code REJECT}), so Kafka never delivers them again. The
 * rest are accepted ({@code ACCEPT}) after their handler returned. Starts an embedded Kafka unless
 * {@code KAFKA_BOOTSTRAP_SERVERS} is set:
 *
 * <pre>
 * mvn -B -q -Pdemo -pl sdk-examples -am package \
 *     -Ddemo.main=dev.kafkasdk.examples.sharegroup.ShareGroupExample
 * </pre>
 */
public final class ShareGroupExample {
  /** Jobs written. */
  static final int JOBS = 60;

  /** Deliveries, and so handler calls, a job gets before it is dead-lettered. */
  static final int MAX_ATTEMPTS = 3;

  private static final Set<Integer> CORRUPT = Set.of(17, 42);

  private ShareGroupExample() {}

  /**
   * What the run saw.
   *
   * @param produced jobs written
   * @param rendered the jobs whose thumbnail was rendered (distinct job numbers)
   * @param renderedOnRedelivery jobs rendered on a later delivery after a failed first one
   * @param deadLetters dead letters: job number to the {@code attempts} header of each of its dead
   *     letters (one each in a run without crashes)
   */
  public record Summary(
      int produced,
      Set<Integer> rendered,
      Set<Integer> renderedOnRedelivery,
      Map<Integer, List<Integer>> deadLetters) {}

  /**
   * Runs the example.
   *
   * @param args none
   * @throws Exception if Kafka does not answer
   */
  public static void main(String[] args) throws Exception {
    try (KafkaCluster kafka = KafkaCluster.builder().start()) {
      System.out.println(run(kafka));
    }
  }

  /**
   * Writes the jobs and works through them with a share-group runner.
   *
   * @param kafka the cluster (Kafka 4.2 or later)
   * @return what happened
   * @throws Exception if Kafka does not answer
   */
  public static Summary run(KafkaCluster kafka) throws Exception {
    String topic = "thumbnails-" + UUID.randomUUID();
    String group = "thumbnail-renderers-" + topic;
    kafka.createTopic(topic, 2, 1);
    kafka.createTopic(topic + FailureAction.DEFAULT_DEAD_LETTER_SUFFIX, 1, 1);
    readFromTheBeginning(kafka, group);
    List<ProducerRecord<String, String>> jobs = new ArrayList<>();
    for (int job = 0; job < JOBS; job++) {
      jobs.add(new ProducerRecord<>(topic, "image-" + job, Integer.toString(job)));
    }
    TestRecords.of(kafka).produce(jobs);

    Set<Integer> rendered = ConcurrentHashMap.newKeySet();
    Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
    Set<Integer> renderedOnRedelivery = ConcurrentHashMap.newKeySet();
    CountDownLatch allGoodJobsRendered = new CountDownLatch(JOBS - CORRUPT.size());
    String deadLetterTopic = topic + FailureAction.DEFAULT_DEAD_LETTER_SUFFIX;
    Map<Integer, List<Integer>> deadLetters;
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(group) // the share group
            .topics(topic)
            // 3 share consumers on 2 partitions: a share group lets several consumers read one
            // partition, so the third is not idle as it would be in a consumer group.
            .strategy(Strategy.shareGroup(3, 4))
            // Each attempt is a delivery: a failed job is released, and Kafka hands it out again
            // (to any consumer) with its delivery count raised. maxAttempts must not exceed the
            // group's share.delivery.count.limit (5 by default), or Kafka would archive the job
            // before the runner gives up on it; build() refuses that.
            .retry(RetryPolicy.builder().maxAttempts(MAX_ATTEMPTS).backoff(attempt -> 50L).build())
            // Given up: published to <topic>.DLT with the dead-letter headers, then rejected.
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  int job = Integer.parseInt(record.value());
                  TimeUnit.MILLISECONDS.sleep(5); // the thumbnail service call
                  if (CORRUPT.contains(job)) {
                    throw new IllegalArgumentException("image-" + job + " is corrupt");
                  }
                  if (job % 5 == 0 && failedOnce.add(job)) {
                    throw new IllegalStateException("thumbnail service timed out");
                  }
                  if (failedOnce.contains(job)) {
                    renderedOnRedelivery.add(job);
                  }
                  if (rendered.add(job)) {
                    allGoodJobsRendered.countDown();
                  }
                })
            .build()) {
      runner.start();
      if (!allGoodJobsRendered.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not every job was rendered: " + runner.state());
      }
      deadLetters =
          waitFor(
              () -> deadLetters(kafka, deadLetterTopic),
              letters -> letters.size() >= CORRUPT.size(),
              Duration.ofMinutes(2));
    }
    return new Summary(
        JOBS, new TreeSet<>(rendered), new TreeSet<>(renderedOnRedelivery), deadLetters);
  }

  /** Reads again until the condition holds or the time is up, and returns the last reading. */
  private static <T> T waitFor(Supplier<T> reading, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = reading.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      last = reading.get();
    }
    return last;
  }

  /**
   * A share group starts at the latest offset unless told otherwise: jobs written before its first
   * consumer joined would be skipped. The offset reset is the group's setting, made with the Admin
   * client (share consumers refuse {@code auto.offset.reset}).
   */
  private static void readFromTheBeginning(KafkaCluster kafka, String group) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, group),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(1, TimeUnit.MINUTES);
    }
  }

  private static Map<Integer, List<Integer>> deadLetters(KafkaCluster kafka, String topic) {
    Map<Integer, List<Integer>> letters = new TreeMap<>();
    for (ConsumerRecord<String, String> letter :
        TestRecords.of(kafka)
            .readAll(
                topic,
                IsolationLevel.READ_COMMITTED,
                new StringDeserializer(),
                new StringDeserializer(),
                Duration.ofSeconds(30))) {
      Header attempts = letter.headers().lastHeader(DeadLetterHeaders.ATTEMPTS);
      letters
          .computeIfAbsent(Integer.parseInt(letter.value()), job -> new ArrayList<>())
          .add(
              attempts == null
                  ? 0
                  : Integer.parseInt(new String(attempts.value(), StandardCharsets.UTF_8)));
    }
    return letters;
  }
}
