package dev.kafkasdk.core.internal;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;

/**
 * The argument checks the SDK's builders share. Each failure is an {@link SdkConfigException}
 * naming the setting, what is wrong and the fix, so every module words the same problem the same
 * way.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  /**
   * Requires a duration above zero.
   *
   * @param setting the builder option
   * @param value the value
   * @return the value
   * @throws SdkConfigException if it is zero or negative
   */
  public static Duration positive(String setting, Duration value) {
    return positive(setting, value, "use a positive duration");
  }

  /**
   * Requires a duration above zero, suggesting a fix of the caller's choice.
   *
   * @param setting the builder option
   * @param value the value
   * @param fix what the user should do instead
   * @return the value
   * @throws SdkConfigException if it is zero or negative
   */
  public static Duration positive(String setting, Duration value, String fix) {
    if (value.isNegative() || value.isZero()) {
      throw new SdkConfigException(setting, "must be positive, was " + value, fix);
    }
    return value;
  }

  /**
   * Requires a count of at least 1.
   *
   * @param setting the builder option
   * @param value the value
   * @param fix what the user should do instead
   * @return the value
   * @throws SdkConfigException if it is below 1
   */
  public static int atLeastOne(String setting, int value, String fix) {
    if (value < 1) {
      throw new SdkConfigException(setting, "must be at least 1, was " + value, fix);
    }
    return value;
  }

  /**
   * Requires a text that is not blank.
   *
   * @param setting the builder option
   * @param value the value
   * @param fix what the user should do instead
   * @return the value
   * @throws SdkConfigException if it is empty or only white space
   */
  public static String notBlank(String setting, String value, String fix) {
    if (value.isBlank()) {
      throw new SdkConfigException(setting, "is blank", fix);
    }
    return value;
  }

  /**
   * Reads a property value as an int: a {@link Number}, or text such as {@code " 500 "}.
   *
   * @param setting the property
   * @param value the value
   * @return the int
   * @throws SdkConfigException if it is not an integer
   */
  public static int parseInt(String setting, Object value) {
    try {
      return value instanceof Number number
          ? number.intValue()
          : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new SdkConfigException(
          setting, "'" + value + "' is not an integer", "use an integer value");
    }
  }
}
