package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.DurationConverter;
import dev.kafkasdk.consumer.DeadLetterSelector;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The selector options of {@code ksdk dlt list} and {@code ksdk dlt replay}. */
final class DltSelection {
  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only dead letters that failed at or after TIME: an instant (2026-12-01T08:00:00Z), a"
              + " date (2026-12-01, midnight UTC) or a duration ago (30m, 2h, 7d).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only dead letters that failed before TIME (same forms as --since).")
  String until;

  @Option(
      names = "--original-topic",
      paramLabel = "TOPIC",
      description = "Only dead letters of records read from TOPIC.")
  String originalTopic;

  @Option(
      names = "--partition",
      paramLabel = "P",
      description = "Only dead letters of records read from partition P of their topic.")
  Integer partition;

  @Option(
      names = "--offset-from",
      paramLabel = "OFFSET",
      description = "Only dead letters of records at or after OFFSET of their partition.")
  Long offsetFrom;

  @Option(
      names = "--offset-to",
      paramLabel = "OFFSET",
      description = "Only dead letters of records at or before OFFSET of their partition.")
  Long offsetTo;

  @Option(
      names = "--exception",
      paramLabel = "CLASS",
      description =
          "Only dead letters whose failure has this class name: fully qualified, or a simple name"
              + " matching any package. Subclasses do not match. Repeat for any of several.")
  List<String> exceptions = new ArrayList<>();

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description = "Only dead letters whose last header NAME has this UTF-8 VALUE. Repeatable.")
  List<String> headers = new ArrayList<>();

  /**
   * The selector the options describe.
   *
   * @return the selector
   * @throws CommandException (usage) for a malformed time or header, or contradictory options
   */
  DeadLetterSelector selector() {
    DeadLetterSelector.Builder builder = DeadLetterSelector.builder();
    Instant now = Instant.now();
    if (since != null) {
      builder.since(time("--since", since, now));
    }
    if (until != null) {
      builder.until(time("--until", until, now));
    }
    if (originalTopic != null) {
      builder.originalTopic(originalTopic);
    }
    if (partition != null) {
      builder.originalPartition(partition);
    }
    if (offsetFrom != null) {
      builder.originalOffsetFrom(offsetFrom);
    }
    if (offsetTo != null) {
      builder.originalOffsetTo(offsetTo);
    }
    exceptions.forEach(builder::exception);
    headerPairs().forEach(builder::header);
    return builder.build();
  }

  /**
   * The options given, for the JSON output.
   *
   * @return option name to value, only those given
   */
  Map<String, Object> describe() {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("since", since);
    given.put("until", until);
    given.put("originalTopic", originalTopic);
    given.put("partition", partition);
    given.put("offsetFrom", offsetFrom);
    given.put("offsetTo", offsetTo);
    given.put("exceptions", exceptions);
    given.put("headers", headerPairs());
    return given;
  }

  private Map<String, String> headerPairs() {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String header : headers) {
      int eq = header.indexOf('=');
      if (eq <= 0) {
        throw CommandException.usage(
            "--header " + header + " is not NAME=VALUE (for example --header tenant=acme)");
      }
      pairs.put(header.substring(0, eq), header.substring(eq + 1));
    }
    return pairs;
  }

  private static Instant time(String option, String value, Instant now) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      // next form
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      // next form
    }
    try {
      return now.minus(new DurationConverter().convert(value));
    } catch (TypeConversionException notADuration) {
      throw CommandException.usage(
          option
              + " "
              + value
              + " is not a time: write an instant (2026-12-01T08:00:00Z), a date (2026-12-01)"
              + " or a duration ago (30m, 2h, 7d)");
    }
  }
}
