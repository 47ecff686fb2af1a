package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.DeadLetterReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ksdk dlt show}: one dead letter with all its headers. */
@Command(
    name = "show",
    description = {
      "Show one dead letter: where it came from, why it failed, every header, and previews of its"
          + " key and value (UTF-8 text when printable, else hex).",
      "Exit 1 when no committed record is at that offset."
    })
public final class DltShowCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "DLT-TOPIC", description = "The dead-letter topic.")
  String topic;

  @Option(
      names = {"-p", "--partition"},
      required = true,
      paramLabel = "P",
      description = "Partition of the dead-letter topic.")
  int partition;

  @Option(
      names = "--offset",
      required = true,
      paramLabel = "OFFSET",
      description = "Offset of the dead letter in that partition.")
  long offset;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      defaultValue = "256",
      description = "Show at most N bytes of the key, the value and each header. Default: 256.")
  int maxBytes = 256;

  @Override
  protected int run(Output output) {
    if (maxBytes < 1) {
      throw CommandException.usage("--max-bytes must be at least 1, was " + maxBytes);
    }
    DeadLetterReader reader = DeadLetterReader.builder().properties(clientConfig()).build();
    Optional<DeadLetter> found =
        DeadLetterRows.missingIsNotMet(() -> reader.find(topic, partition, offset));
    if (found.isEmpty()) {
      throw new CommandException(
          ExitCode.CONDITION_NOT_MET,
          "no committed record at "
              + topic
              + "-"
              + partition
              + "@"
              + offset
              + " (out of range, deleted, a transaction marker or aborted)");
    }
    DeadLetter letter = found.get();
    Table headers = Table.of("HEADER", "VALUE").emptyText("(no headers)");
    List<Map<String, Object>> headersJson = new ArrayList<>();
    for (Header header : letter.headers()) {
      String value = BytePreview.of(header.value(), maxBytes);
      headers.row(header.key(), value);
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("key", header.key());
      h.put("value", value);
      headersJson.add(h);
    }
    Map<String, Object> json = DeadLetterRows.json(letter, maxBytes);
    json.put("topic", topic);
    json.put("value", BytePreview.of(letter.value(), maxBytes));
    json.put("keySize", letter.key() == null ? null : letter.key().length);
    json.put("valueSize", letter.value() == null ? null : letter.value().length);
    json.put("headers", headersJson);
    if (output.json()) {
      output.result(json);
      return ExitCode.OK;
    }
    output.out().println("dead letter " + topic + "-" + partition + "@" + offset);
    line(output, "failed at", letter.failureTime().toString());
    line(output, "original", DeadLetterRows.original(letter));
    line(output, "original time", letter.originalTimestamp().map(Object::toString).orElse(null));
    line(output, "exception", letter.exceptionClass().orElse(null));
    line(output, "message", letter.exceptionMessage().orElse(null));
    line(
        output,
        "attempts",
        letter.attempts().isPresent() ? Integer.toString(letter.attempts().getAsInt()) : null);
    line(output, "failure kind", letter.failureKind().orElse(null));
    line(output, "key", bytes(letter.key()));
    line(output, "value", bytes(letter.value()));
    output.out().println();
    headers.print(output.out());
    output.flush();
    return ExitCode.OK;
  }

  private static void line(Output output, String label, String value) {
    output.out().printf("  %-14s %s%n", label + ":", value == null ? "-" : value);
  }

  private String bytes(byte[] bytes) {
    return bytes == null
        ? "null"
        : "(" + bytes.length + " bytes) " + BytePreview.of(bytes, maxBytes);
  }
}
