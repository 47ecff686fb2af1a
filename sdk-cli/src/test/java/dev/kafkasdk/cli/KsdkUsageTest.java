package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.cli.internal.ExitCode;
import org.junit.jupiter.api.Test;

/** The command line itself, without a cluster: help, version and usage errors (exit 2). */
class KsdkUsageTest {
  private final InProcessKsdk ksdk = InProcessKsdk.plain();

  @Test
  void helpListsTheCommandGroupsAndTheExitCodes() {
    CliResult result = ksdk.run("--help");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("topics", "group", "Exit codes:");
  }

  @Test
  void versionNamesTheSdkVersion() {
    CliResult result = ksdk.run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("ksdk ").doesNotContain("unknown");
  }

  @Test
  void noCommandIsAUsageError() {
    CliResult result = ksdk.run();
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("ksdk: usage error:").contains("Try 'ksdk --help'");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithASuggestion() {
    CliResult result = ksdk.run("topic");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("Unmatched argument").contains("topics");
  }

  @Test
  void aCommandGroupWithoutItsSubcommandIsAUsageError() {
    CliResult result = ksdk.run("topics");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("Missing required subcommand");
  }
}
