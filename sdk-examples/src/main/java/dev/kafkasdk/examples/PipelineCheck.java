package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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

    Set<String> deadLetterIds = new HashSet<>();
    for (ConsumerRecord<String, String> deadLetter : deadLetters) {
      deadLetterIds.add(Order.parse(deadLetter.value()).id());
    }

    long lost =
        acknowledged.stream()
            .filter(id -> !resultIds.contains(id) && !deadLetterIds.contains(id))
            .count();
    out.printf(
        "read back (read_committed): %d input records, %d result records, %d dead letters%n",
        input.size(), results.size(), deadLetters.size());
    return new DemoSummary(
        ordering,
        acknowledged.size(),
        resultIds.size(),
        deadLetterIds.size(),
        duplicates,
        violations,
        lost,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
