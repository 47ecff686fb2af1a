package dev.kafkasdk.consumer;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Test data and Admin look-ups shared by the runner tests. */
final class KafkaFixtures {
  static final Duration WAIT = Duration.ofSeconds(90);

  private KafkaFixtures() {}

  /**
   * Every dead letter on {@code topic} as a read-committed consumer sees it, waiting up to WAIT.
   */
  static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(KafkaCluster kafka, String topic) {
    return new ArrayList<>(
        TestRecords.of(kafka)
            .readAll(
                topic,
                IsolationLevel.READ_COMMITTED,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                WAIT));
  }

  /**
   * Produces {@code count} records over {@code keys} keys ({@code k0}, {@code k1}, ...). Values are
   * {@code key:seq}, where seq counts the records of that key from 0, so order can be checked.
   */
  static void produceKeyed(KafkaCluster kafka, String topic, int count, int keys) {
    List<ProducerRecord<String, String>> records = new ArrayList<>(count);
    int[] seq = new int[keys];
    for (int i = 0; i < count; i++) {
      int key = i % keys;
      records.add(new ProducerRecord<>(topic, "k" + key, "k" + key + ":" + seq[key]++));
    }
    TestRecords.of(kafka).produce(records);
  }

  /** Produces {@code count} records to one partition, values {@code p<partition>-<i>}. */
  static void produceToPartition(KafkaCluster kafka, String topic, int partition, int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, partition, "key-" + i, "p" + partition + "-" + i));
    }
    TestRecords.of(kafka).produce(records);
  }

  /**
   * A runner builder for one of several members of the test's group, named {@code
   * <group>-<member>}, on the given group protocol ({@code classic} or {@code consumer}).
   */
  static ConsumerRunner.Builder<String, String> member(
      KafkaCluster kafka, TestNames names, String protocol, String member) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(names.topic())
        .name(names.groupId() + "-" + member)
        .property("group.protocol", protocol);
  }

  static Admin admin(KafkaCluster kafka) {
    return Admin.create(kafka.clientConfig());
  }

  /** Committed offsets of the group, by partition (partitions without a commit are absent). */
  static Map<TopicPartition, Long> committed(Admin admin, String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> result = new HashMap<>();
      offsets.forEach(
          (partition, offset) -> {
            if (offset != null) {
              result.put(partition, offset.offset());
            }
          });
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Log end offsets of every partition of the topic. */
  static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
          admin.listOffsets(request).all().get();
      return result.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Starts {@code main} in a child JVM on this test's class path, quiet but for warnings, its
   * output (stdout and stderr) written to {@code output}: for the crash tests, which kill it with
   * {@link Process#destroyForcibly()} (SIGKILL).
   */
  static Process startChildJvm(Path output, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error");
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }
}
