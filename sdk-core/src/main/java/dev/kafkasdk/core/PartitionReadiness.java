package dev.kafkasdk.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells whether every partition of a new topic is served by its leader, not only named in the
 * metadata.
 *
 * <p>Why this is needed: a broker answers metadata requests as soon as it has the topic in its
 * metadata cache, a moment before its replica manager has become leader of the new partitions. An
 * idempotent producer that sends in that moment gets {@code NOT_LEADER_OR_FOLLOWER} for its first
 * request to a partition while a later request (higher sequence numbers) is accepted; every retry
 * of the first then fails with {@code OUT_OF_ORDER_SEQUENCE_NUMBER} until {@code
 * delivery.timeout.ms} expires its records (KAFKA-15591). The broker accepts any first sequence
 * from an idempotent producer it has no state for; the fix (apache/kafka pull request 23234: a
 * partition never written accepts only sequence 0) ships in Kafka 4.5, so every broker the SDK
 * supports, 4.4 included, still has the window (see docs/compatibility.md). A {@code ListOffsets}
 * request succeeds only once the leader serves the partition, so waiting for it closes that window.
 *
 * <p>{@code TopicAdmin} (sdk-topics) and the test kit's {@code createTopic} wait for this already;
 * call it yourself after creating a topic with your own {@code Admin}:
 *
 * <pre>{@code
 * admin.createTopics(List.of(new NewTopic("orders", 6, (short) 3))).all().get();
 * while (!PartitionReadiness.leadersServe(admin, "orders", 6, Duration.ofSeconds(5))) {
 *   // the leaders do not serve every partition yet: ask again
 * }
 * }</pre>
 */
public final class PartitionReadiness {
  private PartitionReadiness() {}

  /**
   * Asks each partition's leader for its end offset.
   *
   * @param admin the Admin client
   * @param topic the topic
   * @param partitions how many partitions it has
   * @param timeout how long this one check may take
   * @return true if every leader answered; false if one did not (yet), or the call timed out
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean leadersServe(Admin admin, String topic, int partitions, Duration timeout)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    try {
      admin
          .listOffsets(latest, new ListOffsetsOptions().timeoutMs(millis))
          .all()
          .get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
