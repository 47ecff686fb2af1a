package dev.kafkasdk.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Produces and reads test records on a {@link KafkaCluster}, waiting with Awaitility rather than
 * sleeping. Readers assign every partition directly (no consumer group), start at the earliest
 * offset and leave no committed offsets behind.
 *
 * <pre>{@code
 * TestRecords records = TestRecords.of(kafka);
 * records.produce("orders", "order-1", "created");
 * List<ConsumerRecord<String, String>> all = records.readCommitted("orders", Duration.ofSeconds(30));
 * }</pre>
 */
public final class TestRecords {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaCluster cluster;

  private TestRecords(KafkaCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Helpers bound to one cluster.
   *
   * @param cluster the cluster to talk to
   * @return the helpers
   */
  public static TestRecords of(KafkaCluster cluster) {
    return new TestRecords(Objects.requireNonNull(cluster, "cluster"));
  }

  /**
   * Sends one string record and waits for its acknowledgement.
   *
   * @param topic the topic
   * @param key the key, may be null
   * @param value the value, may be null
   * @throws IllegalStateException if the send fails
   */
  public void produce(String topic, String key, String value) {
    produce(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /**
   * Sends string records with an idempotent, {@code acks=all} producer and waits until every one is
   * acknowledged, in order.
   *
   * @param records the records to send
   * @throws IllegalStateException if any send fails
   */
  public void produce(List<ProducerRecord<String, String>> records) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
      for (ProducerRecord<String, String> record : records) {
        acks.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("test record was not acknowledged: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing test records", e);
    }
  }

  /**
   * Reads string records (uncommitted ones included) from the start of the topic until at least
   * {@code count} have arrived.
   *
   * @param topic the topic
   * @param count how many records to wait for
   * @param timeout how long to wait
   * @return the records read, at least {@code count}, in partition order
   * @throws ConditionTimeoutException if fewer arrive within the timeout
   */
  public List<ConsumerRecord<String, String>> consume(String topic, int count, Duration timeout) {
    return consumeUntil(topic, all -> all.size() >= count, timeout);
  }

  /**
   * Reads string records from the start of the topic until the records read so far satisfy the
   * condition.
   *
   * @param topic the topic
   * @param condition tested after every poll against all records read so far
   * @param timeout how long to wait
   * @return every record read
   * @throws ConditionTimeoutException if the condition is not met within the timeout
   */
  public List<ConsumerRecord<String, String>> consumeUntil(
      String topic, Predicate<List<ConsumerRecord<String, String>>> condition, Duration timeout) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        newConsumer(
            IsolationLevel.READ_UNCOMMITTED, new StringDeserializer(), new StringDeserializer())) {
      assignAll(consumer, topic, timeout);
      Awaitility.await("records from " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(POLL).forEach(all::add);
                return condition.test(all);
              });
    }
    return all;
  }

  /**
   * Waits until no partition of the topic has a transaction pending: on every partition the last
   * stable offset (where a {@code read_committed} reader stops) has reached the high watermark.
   *
   * <p>{@code commitTransaction()} returns once the transaction coordinator has decided; the
   * markers that move each partition's last stable offset past the transaction are written a moment
   * later. A {@code read_committed} read right after a commit can therefore stop short of the
   * transaction's records. Call this first when a test asserts that every committed record is
   * there:
   *
   * <pre>{@code
   * producer.commitTransaction();
   * records.awaitNoPendingTransactions("orders", Duration.ofSeconds(30));
   * assertThat(records.readCommitted("orders", Duration.ofSeconds(30))).hasSize(100);
   * }</pre>
   *
   * @param topic the topic
   * @param timeout how long to wait
   * @throws ConditionTimeoutException if a transaction is still open (or its markers unwritten) on
   *     some partition when the timeout expires, for example one that was never committed or
   *     aborted and has not reached its {@code transaction.timeout.ms}
   * @throws IllegalStateException if the topic does not exist
   */
  public void awaitNoPendingTransactions(String topic, Duration timeout) {
    try (Admin admin = Admin.create(cluster.clientConfig())) {
      List<TopicPartition> partitions = partitions(admin, topic, timeout);
      // The last stable offset is read before the high watermark: the high watermark only grows,
      // so the two can be equal only if nothing was pending when the first was read.
      Awaitility.await("no transaction pending on " + topic)
          .atMost(timeout)
          .pollInterval(POLL)
          .until(
              () ->
                  endOffsets(admin, partitions, IsolationLevel.READ_COMMITTED)
                      .equals(endOffsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED)));
    }
  }

  /**
   * Reads every committed string record of the topic: records of aborted or open transactions are
   * not returned, and reading stops at the last stable offset of each partition. Right after a
   * commit that offset may not yet include the transaction: see {@link
   * #awaitNoPendingTransactions(String, Duration)}.
   *
   * @param topic the topic
   * @param timeout how long to wait for the end of every partition
   * @return all committed records
   * @throws ConditionTimeoutException if the end is not reached within the timeout
   */
  public List<ConsumerRecord<String, String>> readCommitted(String topic, Duration timeout) {
    return readAll(
        topic,
        IsolationLevel.READ_COMMITTED,
        new StringDeserializer(),
        new StringDeserializer(),
        timeout);
  }

  /**
   * Reads every record of the topic up to the end offset of each partition as seen by the given
   * isolation level.
   *
   * @param topic the topic
   * @param isolation {@link IsolationLevel#READ_COMMITTED} stops at the last stable offset and
   *     hides aborted records
   * @param keys key deserializer
   * @param values value deserializer
   * @param timeout how long to wait
   * @param <K> key type
   * @param <V> value type
   * @return all records read
   * @throws ConditionTimeoutException if the end is not reached within the timeout
   */
  public <K, V> List<ConsumerRecord<K, V>> readAll(
      String topic,
      IsolationLevel isolation,
      Deserializer<K> keys,
      Deserializer<V> values,
      Duration timeout) {
    List<ConsumerRecord<K, V>> all = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = newConsumer(isolation, keys, values)) {
      List<TopicPartition> partitions = assignAll(consumer, topic, timeout);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      Awaitility.await("end of " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(POLL).forEach(all::add);
                return end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
              });
    }
    return all;
  }

  private <K, V> KafkaConsumer<K, V> newConsumer(
      IsolationLevel isolation, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
    return new KafkaConsumer<>(config, keys, values);
  }

  private static List<TopicPartition> partitions(Admin admin, String topic, Duration timeout) {
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .partitions()
          .stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .collect(Collectors.toList());
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "topic " + topic + " cannot be described: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("topic " + topic + " was not described in " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topic, e);
    }
  }

  private static Map<TopicPartition, Long> endOffsets(
      Admin admin, List<TopicPartition> partitions, IsolationLevel isolation) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    return admin
        .listOffsets(latest, new ListOffsetsOptions(isolation))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static List<TopicPartition> assignAll(
      KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    List<TopicPartition> partitions =
        infos.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }
}
