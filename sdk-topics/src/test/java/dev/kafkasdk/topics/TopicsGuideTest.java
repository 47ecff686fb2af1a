package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/topics.md in step with the rules and meters it documents. */
class TopicsGuideTest {
  private static final Path GUIDE = Path.of("..", "docs", "topics.md");

  @Test
  void everyAdvisorRuleIsInTheGuide() throws IOException {
    String guide = Files.readString(GUIDE);
    for (AdvisorRule rule : AdvisorRule.values()) {
      assertThat(guide).as("docs/topics.md rules table").contains("| `" + rule.id() + "` |");
    }
  }

  @Test
  void everyMeterIsInTheGuide() throws IOException {
    String guide = Files.readString(GUIDE);
    assertThat(guide)
        .contains("`" + TopicMeters.APPLY + "`")
        .contains("`" + TopicMeters.PARTITION_INCREASE + "`")
        .contains("`" + TopicMeters.ADVISOR_FINDINGS + "`")
        .contains("`" + TopicMeters.PROBE_THROUGHPUT + "`");
  }
}
