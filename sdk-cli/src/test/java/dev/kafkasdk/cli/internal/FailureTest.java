package dev.kafkasdk.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.core.SdkConfigException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** How errors become exit codes and one line, and that the line never quotes a secret. */
class FailureTest {
  private static final Map<String, Object> CONFIG =
      Map.of(
          "bootstrap.servers",
          "broker:9092",
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"ops\" password=\"s3cr3t-Pw-1\";");

  @Test
  void aMessageQuotingTheJaasPasswordIsScrubbedInTheLineAndTheStackTrace() {
    ConfigException e =
        new ConfigException("Invalid value password=\"s3cr3t-Pw-1\"\nfor sasl.jaas.config");
    Failure failure = Failure.of(new ExecutionException(e), CONFIG);
    assertThat(failure.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(failure.message()).doesNotContain("s3cr3t-Pw-1").doesNotContain("\n");
    assertThat(Failure.stackTrace(e, CONFIG)).contains("ConfigException").doesNotContain("s3cr3t");
  }

  @Test
  void eachKindOfErrorHasItsExitCode() {
    assertThat(Failure.of(new TimeoutException("x")).exitCode()).isEqualTo(ExitCode.CLUSTER);
    assertThat(Failure.of(new GroupAuthorizationException("no", "billing")).exitCode())
        .isEqualTo(ExitCode.REFUSED);
    assertThat(Failure.of(new SdkConfigException("headroom", "is 0.5", "use 1.2")).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(Failure.of(CommandException.refused("no")).exitCode()).isEqualTo(ExitCode.REFUSED);
    Failure bug = Failure.of(new NullPointerException());
    assertThat(bug.exitCode()).isEqualTo(ExitCode.UNEXPECTED);
    assertThat(bug.message()).contains("NullPointerException").contains("--verbose");
  }
}
