package dev.kafkasdk.test.internal;

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
 * delivery.timeout.ms} expires its records (KAFKA-15591, fixed in the broker after Kafka 4.1). A
 * {@code ListOffsets} request succeeds only once the leader serves the partition, so waiting for it
 * closes that window.
 *
 * <p>The same check as sdk-core's {@code dev.kafkasdk.core.internal.PartitionReadiness}, kept here
 * on purpose: sdk-core exports its internal package only to named SDK modules, and the test kit
 * usually runs on a user's class path (the unnamed module) while sdk-core may sit on the module
 * path, where that package is not accessible to it.
 */
final class PartitionReadiness {
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
  static boolean leadersServe(Admin admin, String topic, int partitions, Duration timeout)
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
