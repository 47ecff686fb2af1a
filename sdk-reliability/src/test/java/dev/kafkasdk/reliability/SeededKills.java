package dev.kafkasdk.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The F9 crash loop for runners in child JVMs ({@link RunnerProcess}, {@link CopierProcess}):
 * starts them one after another on one group, kills all but the last with {@code SIGKILL} at a
 * seeded point of the input, lets the last one catch up and stops it gracefully.
 */
final class SeededKills {
  private SeededKills() {}

  /** Starts one child JVM that appends its handler calls to a deliveries file. */
  @FunctionalInterface
  interface Launcher {
    Process start(Path deliveries, String name) throws IOException;
  }

  /**
   * Runs {@code kills + 1} child JVMs named {@code <prefix>-0}, {@code <prefix>-1}, ... Each kill
   * point is drawn after its child's launch, so a launcher that draws the child's seed from the
   * same source keeps the schedule a recorded seed produced before.
   *
   * @param prefix the child name prefix, e.g. {@code runner}
   * @param records the input size, all written before the first child starts
   * @param kills how many children are killed
   * @param random the scenario's random source
   * @param observer watches the group; the last child must bring its committed total to {@code
   *     records}
   * @param launcher starts one child
   * @return the deliveries files, in start order
   * @throws IOException if a child cannot be started
   * @throws InterruptedException if interrupted while a child stops
   */
  static List<Path> run(
      String prefix,
      int records,
      int kills,
      Random random,
      CommitObserver observer,
      Launcher launcher)
      throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory(prefix + "-deliveries");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i <= kills; i++) {
      String name = prefix + "-" + i;
      Path file = directory.resolve(name + ".csv");
      files.add(file);
      Process process = launcher.start(file, name);
      if (i < kills) {
        // Kill somewhere in the next slice of the input, at a seeded point.
        int slice = records / (kills + 2);
        int target = RunnerProcess.handled(files) + slice / 2 + random.nextInt(slice);
        Awaitility.await(name + " handled " + target)
            .atMost(Duration.ofMinutes(2))
            .until(() -> RunnerProcess.handled(files) >= target);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } else {
        observer.awaitCommitted("last " + prefix + " caught up", records, Duration.ofMinutes(2));
        ChildJvmRunner.stop(process);
      }
    }
    return files;
  }
}
