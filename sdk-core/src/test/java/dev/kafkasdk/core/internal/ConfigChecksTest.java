package dev.kafkasdk.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {

  @Test
  void durationsMustBePositive() {
    assertThat(ConfigChecks.positive("pollTimeout", Duration.ofMillis(1)))
        .isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(() -> ConfigChecks.positive("pollTimeout", Duration.ZERO))
        .isInstanceOf(SdkConfigException.class)
        .hasMessage(
            "Invalid setting 'pollTimeout': must be positive, was PT0S."
                + " Fix: use a positive duration");
    assertThatThrownBy(() -> ConfigChecks.positive("timeout", Duration.ofSeconds(-1), "wait"))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageEndingWith("Fix: wait");
  }

  @Test
  void countsMustBeAtLeastOne() {
    assertThat(ConfigChecks.atLeastOne("maxInFlight", 1, "fix")).isEqualTo(1);
    assertThatThrownBy(() -> ConfigChecks.atLeastOne("maxInFlight", 0, "use a positive limit"))
        .isInstanceOf(SdkConfigException.class)
        .hasMessage(
            "Invalid setting 'maxInFlight': must be at least 1, was 0. Fix: use a positive limit");
  }

  @Test
  void textMustNotBeBlank() {
    assertThat(ConfigChecks.notBlank("name", "a", "fix")).isEqualTo("a");
    assertThatThrownBy(() -> ConfigChecks.notBlank("name", " ", "use a non-blank name"))
        .isInstanceOf(SdkConfigException.class)
        .satisfies(e -> assertThat(((SdkConfigException) e).setting()).isEqualTo("name"));
  }

  @Test
  void integersAreParsedFromNumbersAndText() {
    assertThat(ConfigChecks.parseInt("max.poll.records", 7)).isEqualTo(7);
    assertThat(ConfigChecks.parseInt("max.poll.records", " 8 ")).isEqualTo(8);
    assertThatThrownBy(() -> ConfigChecks.parseInt("max.poll.records", "many"))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'many' is not an integer");
  }
}
