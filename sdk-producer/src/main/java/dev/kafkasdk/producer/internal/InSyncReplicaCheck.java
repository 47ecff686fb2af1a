package dev.kafkasdk.producer.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a partition's leader refuses {@code acks=all} writes because the partition has
 * fewer in-sync replicas than {@code min.insync.replicas}.
 *
 * <p>Why ask the cluster: kafka-clients retries a {@code NOT_ENOUGH_REPLICAS} refusal until {@code
 * delivery.timeout.ms} and then fails the batch with a bare {@code TimeoutException} ("Expiring N
 * record(s) ... since batch creation"). The refusals themselves only reach the client's log: no
 * callback, interceptor or metric carries them. So when a batch expires, this asks the cluster for
 * the partition's ISR and the topic's effective {@code min.insync.replicas}.
 *
 * <p>It runs on the thread that reports the failure, usually the producer's I/O thread, so it is
 * bounded: one answer per topic is reused for a few seconds (a whole backlog of expired batches
 * costs one lookup), each lookup waits at most {@link #LOOKUP_TIMEOUT}, and after a failed lookup
 * (cluster unreachable, no DESCRIBE_CONFIGS permission) none is tried for a minute.
 */
public final class InSyncReplicaCheck implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InSyncReplicaCheck.class);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  private static final long ANSWER_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long FAILED_LOOKUP_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Map<String, Object> adminConfig;
  private final Map<String, TopicState> answers = new HashMap<>();
  private Admin admin;
  private long noLookupUntil;
  private boolean lookupPaused;
  private boolean closed;

  /**
   * Creates the check; no Admin client exists until the first lookup.
   *
   * @param producerConfig the producer's Kafka configuration (bootstrap servers, security)
   * @param clientId the producer's client.id, for the Admin client's id
   */
  public InSyncReplicaCheck(Map<String, Object> producerConfig, String clientId) {
    Map<String, Object> config = new HashMap<>();
    producerConfig.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            config.put(key, value);
          }
        });
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-isr-check");
    int timeoutMs = (int) LOOKUP_TIMEOUT.toMillis();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    this.adminConfig = Map.copyOf(config);
  }

  /**
   * Returns the refusal the partition's leader gives {@code acks=all} writes now, if it has too few
   * in-sync replicas.
   *
   * @param partition the partition whose batch expired
   * @return the reason as Kafka's own exception type, or null if the partition has enough in-sync
   *     replicas or the cluster could not be asked
   */
  public synchronized NotEnoughReplicasException check(TopicPartition partition) {
    Objects.requireNonNull(partition, "partition");
    TopicState state = answer(partition.topic());
    if (state == null) {
      return null;
    }
    TopicPartitionInfo info =
        state.partitions().stream()
            .filter(p -> p.partition() == partition.partition())
            .findFirst()
            .orElse(null);
    // A 4.x broker caps min.insync.replicas at the partition's replica count.
    if (info == null
        || info.isr().size() >= Math.min(state.minInsyncReplicas(), info.replicas().size())) {
      return null;
    }
    return new NotEnoughReplicasException(
        "partition "
            + partition
            + " has "
            + info.isr().size()
            + " in-sync replica(s) of "
            + info.replicas().size()
            + ", fewer than the topic's min.insync.replicas="
            + state.minInsyncReplicas()
            + ": its leader refuses acks=all writes until enough followers are back in sync");
  }

  private TopicState answer(String topic) {
    long now = System.nanoTime();
    TopicState cached = answers.get(topic);
    if (cached != null && now - cached.atNanos() < ANSWER_TTL_NANOS) {
      return cached;
    }
    if (closed || (lookupPaused && now - noLookupUntil < 0)) {
      return null;
    }
    try {
      if (admin == null) {
        admin = Admin.create(adminConfig);
      }
      TopicState state = lookUp(topic, now);
      answers.put(topic, state);
      lookupPaused = false;
      return state;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      lookupPaused = true;
      noLookupUntil = now + FAILED_LOOKUP_PAUSE_NANOS;
      log.debug("Could not look up the in-sync replicas of {}", topic, e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private TopicState lookUp(String topic, long now)
      throws ExecutionException, TimeoutException, InterruptedException {
    long timeoutMs = LOOKUP_TIMEOUT.toMillis();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    var configs = admin.describeConfigs(List.of(resource)).all();
    TopicDescription description =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(timeoutMs, TimeUnit.MILLISECONDS)
            .get(topic);
    Config config = configs.get(timeoutMs, TimeUnit.MILLISECONDS).get(resource);
    ConfigEntry minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    int minInsyncReplicas = minIsr == null ? 1 : Integer.parseInt(minIsr.value());
    return new TopicState(now, description.partitions(), minInsyncReplicas);
  }

  /** Closes the Admin client, if one was created. Idempotent. */
  @Override
  public void close() {
    Admin toClose;
    synchronized (this) {
      closed = true;
      toClose = admin;
      admin = null;
    }
    if (toClose != null) {
      toClose.close(Duration.ZERO);
    }
  }

  private record TopicState(
      long atNanos, List<TopicPartitionInfo> partitions, int minInsyncReplicas) {}
}
