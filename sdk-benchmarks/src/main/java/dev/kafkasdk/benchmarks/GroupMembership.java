package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Waits for a consumer group to settle before a timed window starts.
 *
 * <p>A client's own view is not enough when several consumers join one group (thread-per-partition,
 * Spring Kafka's container): the embedded broker forms a group at once ({@code
 * group.initial.rebalance.delay.ms=0}), so the first member owns every partition and the full count
 * is reached, then each later member's join rebalances the group, and members hear of it only at
 * their next heartbeat (every 3 s). A quick io-bound trial of thread-per-partition measured during
 * those rebalances ran at 0.525 of the ideal where its other trials ran at 0.97.
 */
final class GroupMembership {
  private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private GroupMembership() {}

  /**
   * Waits until the coordinator reports {@code group} stable with exactly {@code members} members,
   * each owning a partition, and the client side reports all {@code partitions} assigned.
   *
   * @param assigned the partitions the clients own now, by their own count
   * @throws IllegalStateException if that does not happen within {@code timeout}
   * @throws Exception if the group cannot be described
   */
  static void awaitStable(
      KafkaCluster kafka,
      String group,
      int members,
      IntSupplier assigned,
      int partitions,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      while (true) {
        Optional<ConsumerGroupDescription> description = describe(admin, group);
        if (description.isPresent()
            && stable(description.get(), members)
            && assigned.getAsInt() == partitions) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "group "
                  + group
                  + " did not settle: "
                  + description
                      .map(d -> d.groupState() + " with " + d.members().size())
                      .orElse("unknown to the coordinator with 0")
                  + " of "
                  + members
                  + " members, clients own "
                  + assigned.getAsInt()
                  + " of "
                  + partitions
                  + " partitions");
        }
        LockSupport.parkNanos(CHECK_EVERY_NANOS);
      }
    }
  }

  /** The group as the coordinator sees it; empty until its first member joined. */
  private static Optional<ConsumerGroupDescription> describe(Admin admin, String group)
      throws Exception {
    try {
      return Optional.of(
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(60, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Stable, {@code members} members, none of them without a partition. */
  static boolean stable(ConsumerGroupDescription description, int members) {
    return description.groupState() == GroupState.STABLE
        && description.members().size() == members
        && description.members().stream()
            .noneMatch(m -> m.assignment().topicPartitions().isEmpty());
  }
}
