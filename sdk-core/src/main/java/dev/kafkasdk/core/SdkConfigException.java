package dev.kafkasdk.core;

import java.util.Objects;

/**
 * Thrown by a {@code build()} method when a configuration is invalid or self-contradictory.
 *
 * <p>The message always names the offending setting (usually a Kafka configuration key such as
 * {@code acks}) and says how to fix it. Nothing has been started when this exception is thrown: no
 * client, thread or connection exists yet, so there is nothing to close.
 *
 * <pre>{@code
 * try {
 *   builder.build();
 * } catch (SdkConfigException e) {
 *   log.error("bad setting {}: {}", e.setting(), e.fix());
 * }
 * }</pre>
 */
public final class SdkConfigException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String fix;

  /**
   * Creates the exception.
   *
   * @param setting the configuration key or builder option at fault, for example {@code acks}
   * @param problem what is wrong with it
   * @param fix what the user should do instead
   * @throws NullPointerException if any argument is null
   */
  public SdkConfigException(String setting, String problem, String fix) {
    super(
        "Invalid setting '"
            + Objects.requireNonNull(setting, "setting")
            + "': "
            + Objects.requireNonNull(problem, "problem")
            + ". Fix: "
            + Objects.requireNonNull(fix, "fix"));
    this.setting = setting;
    this.fix = fix;
  }

  /**
   * Returns the configuration key or builder option at fault.
   *
   * @return the setting name, never null
   */
  public String setting() {
    return setting;
  }

  /**
   * Returns what the user should change.
   *
   * @return the fix, never null
   */
  public String fix() {
    return fix;
  }
}
