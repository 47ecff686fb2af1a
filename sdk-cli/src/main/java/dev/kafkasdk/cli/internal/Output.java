package dev.kafkasdk.cli.internal;

import java.io.PrintWriter;

/**
 * Where a command prints: results to standard output, as a {@link Table} (and sentences) for people
 * or one JSON document for scripts; errors, warnings and progress to standard error, so {@code ksdk
 * ... --output json | jq} always reads clean JSON.
 */
public final class Output {
  private final PrintWriter out;
  private final PrintWriter err;
  private final OutputFormat format;

  /**
   * Creates the output.
   *
   * @param out standard output
   * @param err standard error
   * @param format table or JSON
   */
  public Output(PrintWriter out, PrintWriter err, OutputFormat format) {
    this.out = out;
    this.err = err;
    this.format = format;
  }

  /**
   * Whether JSON was asked for.
   *
   * @return true for {@code --output json}
   */
  public boolean json() {
    return format == OutputFormat.JSON;
  }

  /**
   * Prints the result: the table (and any lines after it) in table mode, or the JSON document. Call
   * once per command.
   *
   * @param table the result for people
   * @param json the same result for scripts: Maps, Lists, Strings, Numbers, Booleans, null
   * @param linesAfterTable sentences printed under the table (table mode only)
   */
  public void result(Table table, Object json, String... linesAfterTable) {
    if (json()) {
      out.println(Json.write(json));
    } else {
      table.print(out);
      for (String line : linesAfterTable) {
        out.println(line);
      }
    }
    out.flush();
  }

  /**
   * Prints the result as JSON, or as the given lines in table mode (for results that are not a
   * table).
   *
   * @param json the result for scripts
   * @param lines the result for people
   */
  public void result(Object json, String... lines) {
    if (json()) {
      out.println(Json.write(json));
    } else {
      for (String line : lines) {
        out.println(line);
      }
    }
    out.flush();
  }

  /**
   * Prints a warning to standard error (both modes).
   *
   * @param message one line
   */
  public void warn(String message) {
    err.println("ksdk: warning: " + message);
    err.flush();
  }

  /**
   * Starts a progress bar on standard error. It draws only when standard error is a terminal and
   * the output is a table; otherwise it prints nothing.
   *
   * @param label what is being counted, for example {@code replaying}
   * @param total the count at 100%, or 0 or less if unknown
   * @return the bar; close it when done
   */
  public ProgressBar progress(String label, long total) {
    return new ProgressBar(err, label, total, !json() && System.console() != null);
  }

  /**
   * Standard output, for commands that print more than one table.
   *
   * @return the writer
   */
  public PrintWriter out() {
    return out;
  }

  /**
   * Standard error.
   *
   * @return the writer
   */
  public PrintWriter err() {
    return err;
  }

  /** Flushes both streams. */
  public void flush() {
    out.flush();
    err.flush();
  }
}
