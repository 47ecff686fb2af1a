package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Commit;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Watches a group's committed offsets through the Admin client, from outside the system under test,
 * and records every change as a {@link Commit} stamped with the time it was first seen. A commit is
 * sent before it is seen, so "every record below the offset was done when it was seen" is a sound
 * (if slightly weaker) form of commit safety that needs no hook in the consumer.
 */
public final class CommitObserver implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final History history;
  private final Thread thread;
  private final Map<TopicPartition, Long> lastSeen = new HashMap<>();
  private volatile boolean running = true;

  /**
   * Starts observing.
   *
   * @param kafka the cluster
   * @param group the consumer group
   * @param history where commits are recorded
   * @param interval how often to look
   */
  public CommitObserver(KafkaCluster kafka, String group, History history, Duration interval) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    this.group = group;
    this.history = history;
    this.thread =
        new Thread(
            () -> {
              while (running) {
                observeOnce();
                try {
                  TimeUnit.MILLISECONDS.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "commit-observer-" + group);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the committed offsets once and records those that changed. */
  public synchronized void observeOnce() {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return; // The cluster may be faulted on purpose; the next look will catch up.
    }
    long now = System.nanoTime();
    offsets.forEach(
        (tp, committed) -> {
          if (committed == null) {
            return;
          }
          Long previous = lastSeen.put(tp, committed.offset());
          if (previous == null || previous != committed.offset()) {
            history.commit(new Commit("observed", tp, committed.offset(), now, true));
          }
        });
  }

  /**
   * Waits until the history's {@linkplain History#committedTotal() committed total} reaches {@code
   * total}: for a topic without transaction markers, until the group has committed past that many
   * records. Looks again on every poll rather than waiting for the next scheduled look.
   *
   * @param what what is awaited, for the timeout message (e.g. {@code "last runner caught up"})
   * @param total the committed total to reach
   * @param timeout how long to wait at most
   * @throws org.awaitility.core.ConditionTimeoutException if the total is not reached in time
   */
  public void awaitCommitted(String what, long total, Duration timeout) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              observeOnce();
              return history.committedTotal() >= total;
            });
  }

  /** Stops observing after one last look. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    observeOnce();
    admin.close(Duration.ofSeconds(10));
  }
}
