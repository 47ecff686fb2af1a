package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.ReplayHeaders;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code ksdk dlt list|show|replay} against the embedded cluster: tables, JSON and exit codes, and
 * what a {@code read_committed} reader of the target topic sees after a replay.
 */
@KafkaTest
class DltCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final byte[] BINARY = {0, (byte) 0xFF, 1, 2, 3, 4, 5, 6};

  @Test
  void listAndShowPrintTheDeadLettersAndTheirHeaders(KafkaCluster kafka, TestNames names) {
    String dlt = names.topic("dlt");
    kafka.createTopic(dlt, 1, 1);
    writeLetters(kafka, dlt, "orders");
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);

    CliResult table = ksdk.run("dlt", "list", dlt);
    assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.OK);
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("PARTITION")
        .contains("OFFSET", "FAILED", "ORIGINAL", "EXCEPTION", "KEY");
    assertThat(lines.get(1))
        .contains("orders-0@10", "java.lang.IllegalStateException", "0x00ff010203");
    assertThat(lines.get(2)).contains("orders-1@11", "java.io.IOException", "key-1");
    assertThat(lines.get(4)).as("a foreign dead letter is listed with what is known").contains("-");
    assertThat(lines).hasSize(5);

    CliResult json =
        ksdk.run("dlt", "list", dlt, "--exception", "IllegalStateException", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OK);
    JsonNode doc = json.json();
    assertThat(doc.get("count").asInt()).isEqualTo(2);
    JsonNode first = doc.get("deadLetters").get(0);
    assertThat(first.get("originalTopic").asText()).isEqualTo("orders");
    assertThat(first.get("originalOffset").asLong()).isEqualTo(10);
    assertThat(first.get("attempts").asInt()).isEqualTo(3);
    assertThat(first.get("exceptionMessage").asText()).isEqualTo("failed 0");

    CliResult limited = ksdk.run("dlt", "list", dlt, "--limit", "2", "-o", "json");
    assertThat(limited.json().get("count").asInt()).isEqualTo(2);
    assertThat(limited.json().get("more").asBoolean()).isTrue();

    CliResult show = ksdk.run("dlt", "show", dlt, "--partition", "0", "--offset", "0");
    assertThat(show.exitCode()).as(show.toString()).isEqualTo(ExitCode.OK);
    assertThat(show.out())
        .contains("dead letter " + dlt + "-0@0")
        .contains("exception:", "java.lang.IllegalStateException")
        .contains("(8 bytes) 0x00ff010203040506")
        .contains(DeadLetterHeaders.ORIGINAL_TOPIC, DeadLetterHeaders.ATTEMPTS, "tenant", "acme");

    CliResult cut =
        ksdk.run("dlt", "show", dlt, "-p", "0", "--offset", "1", "--max-bytes", "3", "-o", "json");
    assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(ExitCode.OK);
    assertThat(cut.json().get("value").asText()).isEqualTo("val... (7 bytes)");
    assertThat(cut.json().get("headers").size()).isEqualTo(6);

    CliResult missing = ksdk.run("dlt", "show", dlt, "-p", "0", "--offset", "99");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(missing.err()).contains("no committed record at");
    CliResult noTopic = ksdk.run("dlt", "list", names.topic("absent"));
    assertThat(noTopic.exitCode()).as(noTopic.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(noTopic.err()).contains("does not exist");
    CliResult noPartition = ksdk.run("dlt", "show", dlt, "-p", "7", "--offset", "0");
    assertThat(noPartition.exitCode())
        .as(noPartition.toString())
        .isEqualTo(ExitCode.CONDITION_NOT_MET);
    CliResult replayNoTopic = ksdk.run("dlt", "replay", names.topic("absent"), "--dry-run");
    assertThat(replayNoTopic.exitCode())
        .as(replayNoTopic.toString())
        .isEqualTo(ExitCode.CONDITION_NOT_MET);
  }

  @Test
  void replayDryRunThenForRealThenAgain(KafkaCluster kafka, TestNames names) {
    String dlt = names.topic("dlt");
    String target = names.topic();
    kafka.createTopic(dlt, 1, 1);
    kafka.createTopic(target, 2, 1);
    writeLetters(kafka, dlt, target);
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);

    CliResult dry =
        ksdk.run("dlt", "replay", dlt, "--dry-run", "--header", "tenant=acme", "-o", "json");
    assertThat(dry.exitCode()).as(dry.toString()).isEqualTo(ExitCode.OK);
    assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
    assertThat(dry.json().get("matched").asInt()).isEqualTo(2);
    assertThat(dry.json().get("sent").asInt()).isZero();
    assertThat(dry.json().get("deadLetters").get(0).get("target").asText()).isEqualTo(target);
    assertThat(readAll(kafka, target)).isEmpty();

    CliResult replay = ksdk.run("dlt", "replay", dlt, "--header", "tenant=acme");
    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCode.OK);
    assertThat(replay.out())
        .startsWith("TARGET")
        .contains(target)
        .contains("replayed 2 of 2 chosen dead letters (4 read)");
    List<ConsumerRecord<byte[], byte[]>> read = readAll(kafka, target);
    assertThat(read).hasSize(2);
    assertThat(read)
        .allSatisfy(
            r -> {
              assertThat(r.headers().lastHeader(ReplayHeaders.SOURCE)).isNotNull();
              assertThat(r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC)).isNull();
            });

    CliResult again = ksdk.run("dlt", "replay", dlt, "-o", "json");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.OK);
    assertThat(again.json().get("scanned").asInt()).as("the group stopped at the end").isZero();

    // A foreign dead letter has no original topic: chosen but not sent, exit 1.
    CliResult foreign =
        ksdk.run("dlt", "replay", dlt, "--group", names.groupId(), "--header", "origin=other-tool");
    assertThat(foreign.exitCode()).as(foreign.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(foreign.err()).contains("no original topic: give --to TOPIC");
    CliResult routed =
        ksdk.run(
            "dlt",
            "replay",
            dlt,
            "--group",
            names.groupId() + "-to",
            "--header",
            "origin=other-tool",
            "--to",
            target,
            "-o",
            "json");
    assertThat(routed.exitCode()).as(routed.toString()).isEqualTo(ExitCode.OK);
    assertThat(routed.json().get("perTarget").get(target).asInt()).isEqualTo(1);
    assertThat(readAll(kafka, target)).hasSize(3);
  }

  @Test
  void badSelectionsAreUsageErrors(KafkaCluster kafka, TestNames names) {
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);
    String dlt = names.topic("dlt");
    CliResult since = ksdk.run("dlt", "replay", dlt, "--since", "yesterday");
    assertThat(since.exitCode()).as(since.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(since.err()).contains("--since yesterday is not a time");
    CliResult header = ksdk.run("dlt", "list", dlt, "--header", "tenant");
    assertThat(header.exitCode()).as(header.toString()).isEqualTo(ExitCode.USAGE);
    CliResult range = ksdk.run("dlt", "list", dlt, "--offset-from", "5", "--offset-to", "4");
    assertThat(range.exitCode()).as(range.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(range.err()).contains("originalOffsetTo");
    CliResult noOffset = ksdk.run("dlt", "show", dlt, "--partition", "0");
    assertThat(noOffset.exitCode()).as(noOffset.toString()).isEqualTo(ExitCode.USAGE);
  }

  /**
   * Four dead letters on partition 0: three from {@code original} partitions 0-2 (offsets 10-12),
   * two of them with header tenant=acme, and one written by another tool.
   */
  private static void writeLetters(KafkaCluster kafka, String dlt, String original) {
    String[] exceptions = {
      "java.lang.IllegalStateException", "java.io.IOException", "com.acme.IllegalStateException"
    };
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RecordHeaders headers = new RecordHeaders();
      if (i < 3) {
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, original);
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(i));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Integer.toString(10 + i));
        put(headers, DeadLetterHeaders.EXCEPTION_CLASS, exceptions[i]);
        put(headers, DeadLetterHeaders.EXCEPTION_MESSAGE, "failed " + i);
        put(headers, DeadLetterHeaders.ATTEMPTS, "3");
        if (i != 1) {
          put(headers, "tenant", "acme");
        }
      } else {
        put(headers, "origin", "other-tool");
      }
      byte[] key = i == 0 ? BINARY : ("key-" + i).getBytes(StandardCharsets.UTF_8);
      byte[] value = i == 0 ? BINARY : ("value-" + i).getBytes(StandardCharsets.UTF_8);
      records.add(new ProducerRecord<>(dlt, 0, key, value, headers));
    }
    Map<String, Object> config = kafka.clientConfig();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaCluster kafka, String topic) {
    // A replay commits transactions; right after one, its markers may not be written yet.
    TestRecords records = TestRecords.of(kafka);
    records.awaitNoPendingTransactions(topic, WAIT);
    return records.readAll(
        topic,
        IsolationLevel.READ_COMMITTED,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        WAIT);
  }
}
