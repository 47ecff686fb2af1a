package dev.kafkasdk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * What one in-process {@code ksdk} run produced.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
public record CliResult(int exitCode, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses standard output as JSON (for {@code --output json} runs); fails if it is not exactly one
   * JSON document.
   *
   * @return the document
   */
  public JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
