package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Checks a finished run from what is in the topics, not from what the application counted: every
 * topic is read back from the beginning with {@code read_committed}, so aborted or unfinished
 * transactions of the results writer do not count.
 */
final class PipelineCheck {
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private final TestRecords records;

  PipelineCheck(KafkaCluster kafka) {
    this.records = TestRecords.of(kafka);
  }

  DemoSummary check(
      Ordering ordering,
      Set<String> acknowledged,
      long poisonAcknowledged,
      String inputTopic,
      String resultTopic,
      boolean deadLetterTopicExists,
      String deadLetterTopic,
      long startNanos,
      PrintStream out) {
    List<ConsumerRecord<String, String>> input = records.readCommitted(inputTopic, READ_TIMEOUT);
    List<ConsumerRecord<String, String>> results = records.readCommitted(resultTopic, READ_TIMEOUT);
    List<ConsumerRecord<String, String>> deadLetters =
        deadLetterTopicExists ? records.readCommitted(deadLetterTopic, READ_TIMEOUT) : List.of();

    Set<String> resultIds = new HashSet<>();
    long duplicates = 0;
    long violations = 0;
    // Results of one customer share a partition (same key), and the read returns a partition in
    // offset order, so per customer the input offsets must only grow.
    Map<String, Long> lastInputOffset = new HashMap<>();
    for (ConsumerRecord<String, String> result : results) {
      String[] fields = result.value().split(",", -1);
      if (!resultIds.add(fields[0])) {
        duplicates++;
        continue;
      }
      long inputOffset = Long.parseLong(fields[3]);
      Long previous = lastInputOffset.put(result.key(), inputOffset);
      if (previous != null && previous > inputOffset) {
        violations++;
        lastInputOffset.put(result.key(), previous);
      }
    }

    // A dead letter is identified by the input record it came from, so a dead letter published
    // twice (a redelivery after a crash) counts once. One that parses as an acknowledged order is
    // a valid order dead-lettered by mistake: it is not lost, but it fails the run.
    Set<String> deadLetterPositions = new HashSet<>();
    Set<String> deadLetterIds = new HashSet<>();
    long validDeadLettered = 0;
    for (ConsumerRecord<String, String> deadLetter : deadLetters) {
      String position =
          header(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC)
              + "-"
              + header(deadLetter, DeadLetterHeaders.ORIGINAL_PARTITION)
              + "@"
              + header(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET);
      if (!deadLetterPositions.add(position)) {
        continue;
      }
      String id = orderId(deadLetter.value());
      if (id != null && acknowledged.contains(id)) {
        deadLetterIds.add(id);
        validDeadLettered++;
      }
    }

    long lost =
        acknowledged.stream()
            .filter(id -> !resultIds.contains(id) && !deadLetterIds.contains(id))
            .count();
    out.printf(
        "read back (read_committed): %d input records, %d result records, %d dead letters%n",
        input.size(), results.size(), deadLetters.size());
    out.printf(
        "dead letters: %d poison records injected, %d dead-lettered, %d of them valid orders%n",
        poisonAcknowledged, deadLetterPositions.size(), validDeadLettered);
    return new DemoSummary(
        ordering,
        acknowledged.size(),
        resultIds.size(),
        deadLetterPositions.size(),
        poisonAcknowledged,
        validDeadLettered,
        duplicates,
        violations,
        lost,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The order id of a value, or null for a poison record. */
  private static String orderId(String value) {
    try {
      return value == null ? null : Order.parse(value).id();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
