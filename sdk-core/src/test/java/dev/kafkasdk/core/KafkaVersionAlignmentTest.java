package dev.kafkasdk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The BOM cannot inherit from the parent (importing it would drag our build into users' projects),
 * so its versions are written twice; this test keeps the copies equal.
 */
class KafkaVersionAlignmentTest {

  @Test
  void bomPinsTheVersionsTheSdkIsBuiltWith() throws Exception {
    String parent = Files.readString(Path.of("..", "pom.xml"));
    String bom = Files.readString(Path.of("..", "bom", "pom.xml"));
    for (String property :
        new String[] {
          "kafka.version",
          "micrometer.version",
          "resilience4j.version",
          "slf4j.version",
          "junit.version",
          "awaitility.version"
        }) {
      assertThat(property(bom, property)).as(property).isEqualTo(property(parent, property));
    }
    assertThat(AppInfoParser.getVersion()).isEqualTo(property(parent, "kafka.version"));
  }

  @Test
  void configExceptionNamesSettingAndFix() {
    SdkConfigException e = new SdkConfigException("acks", "is 0", "use acks=all");
    assertThat(e.getMessage()).isEqualTo("Invalid setting 'acks': is 0. Fix: use acks=all");
    assertThat(e.setting()).isEqualTo("acks");
    assertThat(e.fix()).isEqualTo("use acks=all");
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as(name + " in pom").isTrue();
    return m.group(1).trim();
  }
}
