package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.Security;
import dev.kafkasdk.test.TestNames;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit 4 for a refusal, on a SASL/SCRAM cluster with ACLs, through {@code --command-config}: a
 * wrong password and a missing ACL each give one line naming the refusal, never the password.
 */
@KafkaTest(security = Security.SASL_SCRAM)
class RefusedExitCodeTest {
  private static final String PASSWORD = "pw-Cli7xQ2mK9";

  @Test
  void aWrongPasswordExitsFourWithoutQuotingIt(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String user = "cli-" + Math.abs(names.topic().hashCode());
    kafka.createUser(user, PASSWORD);
    Path config = write(dir, kafka.clientProperties(user, "wrong-" + PASSWORD));

    CliResult result =
        InProcessKsdk.plain()
            .run("topics", "review", "--command-config", config.toString(), "--timeout", "20s");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(result.err().strip().lines()).hasSize(1);
    assertThat(result.err()).startsWith("ksdk: error: authentication failed");
    assertThat(result.err() + result.out()).doesNotContain(PASSWORD);
  }

  @Test
  void aMissingGroupAclExitsFourNamingTheGroup(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String user = "cli-acl-" + Math.abs(names.topic().hashCode());
    kafka.createUser(user, PASSWORD);
    Path config = write(dir, kafka.clientProperties(user));

    CliResult result =
        InProcessKsdk.plain()
            .run(
                "group",
                "lag",
                "--group",
                names.groupId(),
                "--command-config",
                config.toString(),
                "--verbose");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(result.err())
        .contains("ksdk: error: authorization failed")
        .contains(names.groupId())
        .as("--verbose prints the stack trace")
        .contains("\tat ")
        .doesNotContain(PASSWORD);
  }

  private static Path write(Path dir, Map<String, Object> client) throws Exception {
    Properties properties = new Properties();
    client.forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
    Path file = dir.resolve("client.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(out, null);
    }
    return file;
  }
}
