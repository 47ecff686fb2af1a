package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.core.SdkConfigException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** How {@code ksdk dlt} prints a dead letter: one table row, or one JSON object. */
final class DeadLetterRows {
  static final int KEY_PREVIEW_BYTES = 24;

  /** The settings a library call names when the topic or partition does not exist. */
  private static final Set<String> MISSING = Set.of("topic", "deadLetterTopic", "partition");

  private DeadLetterRows() {}

  /**
   * Runs a read or replay, turning "that topic or partition does not exist" into exit 1, like the
   * tool's other commands do for a topic or group that does not exist.
   *
   * @param call the library call (its builder already built, so a configuration error here is about
   *     the topic, the partition, or a Kafka property)
   * @param <T> what it returns
   * @return its result
   */
  static <T> T missingIsNotMet(Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkConfigException e) {
      if (MISSING.contains(e.setting())) {
        throw new CommandException(ExitCode.CONDITION_NOT_MET, e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The table of dead letters: partition, offset, failure time, where the record came from, the
   * exception and a key preview.
   *
   * @return an empty table
   */
  static Table table() {
    return Table.of("PARTITION", "OFFSET", "FAILED", "ORIGINAL", "EXCEPTION", "KEY");
  }

  static void addRow(Table table, DeadLetter letter) {
    table.row(
        letter.partition(),
        letter.offset(),
        letter.failureTime().toString(),
        original(letter),
        letter.exceptionClass().orElse(null),
        BytePreview.of(letter.key(), KEY_PREVIEW_BYTES));
  }

  /**
   * Where the failed record was: {@code topic-partition@offset}, {@code ?} for unknown parts.
   *
   * @param letter the dead letter
   * @return the location, or null without any SDK header
   */
  static String original(DeadLetter letter) {
    if (!letter.hasSdkHeaders()) {
      return null;
    }
    return letter.originalTopic().orElse("?")
        + "-"
        + (letter.originalPartition().isPresent() ? letter.originalPartition().getAsInt() : "?")
        + "@"
        + (letter.originalOffset().isPresent() ? letter.originalOffset().getAsLong() : "?");
  }

  /**
   * A dead letter as JSON.
   *
   * @param letter the dead letter
   * @param previewBytes how many key and value bytes to show
   * @return the object
   */
  static Map<String, Object> json(DeadLetter letter, int previewBytes) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("partition", letter.partition());
    json.put("offset", letter.offset());
    json.put("failureTime", letter.failureTime().toString());
    json.put("sdkHeaders", letter.hasSdkHeaders());
    json.put("originalTopic", letter.originalTopic());
    json.put(
        "originalPartition",
        letter.originalPartition().isPresent() ? letter.originalPartition().getAsInt() : null);
    json.put(
        "originalOffset",
        letter.originalOffset().isPresent() ? letter.originalOffset().getAsLong() : null);
    json.put("originalTimestamp", letter.originalTimestamp().map(Instant::toString));
    json.put("exceptionClass", letter.exceptionClass());
    json.put("exceptionMessage", letter.exceptionMessage());
    json.put("attempts", letter.attempts().isPresent() ? letter.attempts().getAsInt() : null);
    json.put("failureKind", letter.failureKind());
    json.put("key", BytePreview.of(letter.key(), previewBytes));
    return json;
  }
}
