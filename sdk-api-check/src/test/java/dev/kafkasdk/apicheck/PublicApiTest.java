package dev.kafkasdk.apicheck;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fails when a published module's public API differs from the committed baseline in {@code
 * sdk-api-check/api/<artifactId>.api}, so that every API change, breaking or not, is a deliberate,
 * reviewed edit of that file (RELEASING.md, "API baseline").
 */
class PublicApiTest {
  private static final Path BASELINE = Path.of(System.getProperty("api.baseline.dir", "api"));
  private static final Path CURRENT = Path.of(System.getProperty("api.current.dir", "target/api"));

  @ParameterizedTest
  @EnumSource(PublishedModule.class)
  void apiMatchesTheCommittedBaseline(PublishedModule module) throws IOException {
    List<String> current = ApiSignatures.of(module);
    String file = module.artifactId() + ".api";
    Files.createDirectories(CURRENT);
    Files.write(CURRENT.resolve(file), current, StandardCharsets.UTF_8);

    Path baselineFile = BASELINE.resolve(file);
    List<String> baseline =
        Files.exists(baselineFile)
            ? Files.readAllLines(baselineFile, StandardCharsets.UTF_8)
            : List.of();
    Set<String> removed = new LinkedHashSet<>(baseline);
    current.forEach(removed::remove);
    Set<String> added = new LinkedHashSet<>(current);
    baseline.forEach(added::remove);
    if (removed.isEmpty() && added.isEmpty()) {
      return;
    }

    List<String> report = new ArrayList<>();
    report.add("The public API of " + module.artifactId() + " differs from " + baselineFile + ".");
    if (!removed.isEmpty()) {
      report.add("BREAKING: removed or changed (a caller compiled against the baseline may fail):");
      removed.forEach(line -> report.add("  - " + line));
    }
    if (!added.isEmpty()) {
      report.add(
          "Added (compatible unless an interface or abstract class gained an abstract"
              + " method):");
      added.forEach(line -> report.add("  + " + line));
    }
    report.add(
        "If this change is deliberate, accept it: cp "
            + CURRENT.resolve(file)
            + " "
            + baselineFile
            + " and follow RELEASING.md (\"API baseline\"): a breaking change needs a CHANGELOG"
            + " entry that says how to migrate.");
    fail(String.join(System.lineSeparator(), report));
  }
}
