package dev.kafkasdk.cli;

import dev.kafkasdk.cli.internal.KsdkCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The entry point of {@code ksdk}, the operator tool: {@code java -jar ksdk.jar --help}.
 *
 * <pre>{@code
 * ksdk topics review --bootstrap-server localhost:9092 --fail-on WARNING
 * ksdk group lag --bootstrap-server localhost:9092 --group orders --output json
 * }</pre>
 *
 * <p>Exit codes (see docs/cli.md): 0 ok, 1 findings or a condition not met, 2 usage error, 3
 * cluster unreachable or not answering in time, 4 refused (authorization, or a guard such as the
 * keyed-partition guard), 5 unexpected error.
 */
public final class Ksdk {
  private Ksdk() {}

  /**
   * Runs {@code ksdk} and exits the JVM with its exit code.
   *
   * @param args the command line, for example {@code topics review --bootstrap-server host:9092}
   */
  public static void main(String... args) {
    quietLogsUnlessVerbose(args);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  // The tool binds slf4j-simple, which reads its level once, when the first logger is made: set
  // it before any client exists. -D on the command line wins.
  private static void quietLogsUnlessVerbose(String... args) {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(key) != null) {
      return;
    }
    boolean verbose = false;
    for (String arg : args) {
      if ("--".equals(arg)) {
        break;
      }
      verbose |= "--verbose".equals(arg) || "-v".equals(arg);
    }
    System.setProperty(key, verbose ? "info" : "off");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  /**
   * Runs {@code ksdk} in this JVM without exiting it: results go to {@code out}, progress and
   * errors to {@code err}.
   *
   * @param out where results (tables, JSON) are printed
   * @param err where errors, warnings and progress are printed
   * @param args the command line
   * @return the exit code (0 ok, 1 condition not met, 2 usage, 3 cluster, 4 refused, 5 unexpected)
   * @throws NullPointerException if an argument is null
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(args, "args");
    return KsdkCommand.execute(out, err, args);
  }
}
