package dev.kafkasdk.test.internal;

import dev.kafkasdk.core.PartitionReadiness;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.awaitility.Awaitility;

/** Topic creation and cluster inspection shared by every backend, done with the Admin client. */
abstract class AdminBackedCluster implements KafkaCluster {

  /** Generous: a loaded 2-core CI machine can take many seconds to elect leaders. */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration SERVE_CHECK_TIMEOUT = Duration.ofSeconds(5);

  Admin newAdmin() {
    Map<String, Object> config = adminProperties();
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    return Admin.create(config);
  }

  @Override
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1 || replicationFactor > brokerCount()) {
      throw new IllegalArgumentException(
          "replicationFactor must be between 1 and the broker count "
              + brokerCount()
              + ", was "
              + replicationFactor);
    }
    NewTopic topic =
        new NewTopic(name, partitions, (short) replicationFactor).configs(Map.copyOf(configs));
    try (Admin admin = newAdmin()) {
      admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      // Named leaders are not yet serving leaders: a record sent before they serve could be lost
      // (KAFKA-15591). A leader that answers for its partition is also a named one.
      Awaitility.await("leaders serving every partition of " + name)
          .atMost(ADMIN_TIMEOUT)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(
              () -> PartitionReadiness.leadersServe(admin, name, partitions, SERVE_CHECK_TIMEOUT));
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  /** Returns the ids of brokers the cluster currently reports as alive. */
  Set<Integer> liveBrokerIds(Admin admin) throws Exception {
    return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
  }
}
