package dev.kafkasdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo as the README's first command does: in a fresh JVM whose class path is this
 * module's classes and its runtime dependencies only (written by the build to {@code
 * target/runtime-classpath.txt}). {@link DemoTest} runs it in the test JVM, whose class path also
 * holds every test dependency, so it cannot see a runtime dependency that went missing.
 */
class DemoCommandTest {
  private static final Path CLASSPATH_FILE = Path.of("target", "runtime-classpath.txt");

  @Test
  void theDemoRunsOnTheRuntimeClassPathAloneAndPasses() throws IOException, InterruptedException {
    String dependencies = Files.readString(CLASSPATH_FILE, StandardCharsets.UTF_8).trim();
    String classPath = Path.of("target", "classes") + File.pathSeparator + dependencies;
    Path output = Files.createTempFile("demo-command", ".log");
    try {
      Process demo =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      classPath,
                      Demo.class.getName(),
                      "--records",
                      "400",
                      "--producers",
                      "2",
                      "--customers",
                      "20",
                      "--poison",
                      "2"))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean ended = demo.waitFor(3, TimeUnit.MINUTES);
      if (!ended) {
        demo.destroyForcibly();
      }
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(ended).as("the demo ended within 3 minutes; its output:%n%s", log).isTrue();
      assertThat(demo.exitValue()).as("the demo's exit code; its output:%n%s", log).isZero();
      assertThat(log).contains("verdict: OK", "lost: 0", "duplicates: 0");
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
