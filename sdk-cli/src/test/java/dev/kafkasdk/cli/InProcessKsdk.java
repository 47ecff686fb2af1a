package dev.kafkasdk.cli;

import dev.kafkasdk.test.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code ksdk} in the test's JVM, capturing its output and exit code: {@code
 * InProcessKsdk.against(kafka).run("topics", "review", "--output", "json")}. {@link
 * #against(KafkaCluster)} appends {@code --bootstrap-server} to every run (options may follow the
 * subcommand's arguments). The embedded cluster is the test kit's; start it with
 * {@code @KafkaTest}.
 */
public final class InProcessKsdk {
  private final List<String> appended;

  private InProcessKsdk(List<String> appended) {
    this.appended = appended;
  }

  /**
   * A runner that adds nothing to the command line (usage tests, unreachable servers).
   *
   * @return the runner
   */
  public static InProcessKsdk plain() {
    return new InProcessKsdk(List.of());
  }

  /**
   * A runner whose every run gets {@code --bootstrap-server <the cluster>}.
   *
   * @param kafka the test cluster
   * @return the runner
   */
  public static InProcessKsdk against(KafkaCluster kafka) {
    return new InProcessKsdk(List.of("--bootstrap-server", kafka.bootstrapServers()));
  }

  /**
   * Runs a command line.
   *
   * @param args the command line, without {@code ksdk}
   * @return exit code and output
   */
  public CliResult run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (!all.contains("--") && !all.contains("--help") && !all.contains("-h")) {
      all.addAll(appended);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ksdk.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new CliResult(code, out.toString(), err.toString());
  }
}
