package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code target/ksdk.jar} as a user runs it: {@code java -jar} (and {@code bin/ksdk}) in
 * a fresh process, after the package phase (maven-failsafe-plugin), with exit codes and both output
 * streams as a script sees them. The in-process tests cannot catch what only the jar can get wrong:
 * its manifest, the shading of services and resources, the filtered version, the logging binding
 * left at its defaults.
 */
@KafkaTest
class KsdkJarIT {
  /** Every launch is bounded: a hanging tool fails the test instead of the build. */
  private static final long PROCESS_TIMEOUT_SECONDS = 90;

  private static Path jar;
  private static Path script;

  @TempDir static Path outputs;

  @BeforeAll
  static void locateTheBuiltJar() {
    jar = Paths.get(System.getProperty("ksdk.jar", "target/ksdk.jar")).toAbsolutePath();
    script = Paths.get(System.getProperty("ksdk.script", "bin/ksdk")).toAbsolutePath();
    assertThat(jar).as("run after 'package': the shaded jar").isRegularFile();
    assertThat(script).isRegularFile();
  }

  @Test
  void versionPrintsTheBuiltVersionAndNothingElse() throws Exception {
    CliResult result = javaJar("--version");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("ksdk " + System.getProperty("ksdk.version", "") + System.lineSeparator())
        .contains("Java ");
    assertThat(result.err()).as("standard error").isEmpty();
  }

  @Test
  void aMistypedCommandIsAUsageErrorOnStandardError() throws Exception {
    CliResult result = javaJar("topics", "reveiw");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err())
        .startsWith("ksdk: usage error: Unmatched argument at index 1: 'reveiw'")
        .contains("topics review")
        .contains("Try 'ksdk topics --help'");
    assertThat(result.out()).as("standard output").isEmpty();
  }

  @Test
  void topicsReviewPrintsItsTableAndFailsTheThresholdWithoutLogNoise(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 3, 1);

    CliResult result =
        javaJar(
            "topics",
            "review",
            names.topic(),
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--timeout",
            "30s");

    // One broker: replication below three is a finding at WARNING or above in production.
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(result.out())
        .startsWith("#  SEVERITY")
        .contains(names.topic(), "replication-below-three", "Fix: ")
        .contains("1 topic(s) reviewed")
        .contains("--fail-on WARNING: FAILED");
    // Logging is off by default: no client INFO lines, no SLF4J provider warnings.
    assertThat(result.err()).as("standard error").isEmpty();
  }

  @Test
  void theLauncherScriptRunsTheJar() throws Exception {
    // bin/ksdk finds ../target/ksdk.jar, as in a source checkout; JAVA_HOME picks this JVM.
    CliResult result =
        run(List.of("bash", script.toString(), "--help"), Map.of("JAVA_HOME", javaHome()));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).startsWith("Usage: ksdk").contains("topics", "group", "Exit codes:");
    assertThat(result.err()).as("standard error").isEmpty();
  }

  private static CliResult javaJar(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(javaHome(), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  private static String javaHome() {
    return System.getProperty("java.home");
  }

  private static CliResult run(List<String> command, Map<String, String> extraEnvironment)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(outputs, "out", ".txt");
    Path err = Files.createTempFile(outputs, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // A user's plain shell: nothing that changes the jar's behaviour or adds JVM chatter
    // ("Picked up JAVA_TOOL_OPTIONS" goes to standard error).
    Map<String, String> environment = builder.environment();
    environment.remove("KSDK_JAR");
    environment.remove("KSDK_JAVA_OPTS");
    environment.remove("JAVA_TOOL_OPTIONS");
    environment.remove("JDK_JAVA_OPTIONS");
    environment.remove("_JAVA_OPTIONS");
    environment.putAll(extraEnvironment);
    Process process = builder.start();
    process.getOutputStream().close(); // no input: a prompt would end instead of hanging
    if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          command
              + " did not end within "
              + PROCESS_TIMEOUT_SECONDS
              + " s; output so far: "
              + Files.readString(out, StandardCharsets.UTF_8)
              + Files.readString(err));
    }
    return new CliResult(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
