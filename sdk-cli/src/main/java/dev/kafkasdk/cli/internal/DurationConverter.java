package dev.kafkasdk.cli.internal;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601 {@code PT30S}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return positive(Duration.parse(value.trim().toUpperCase(Locale.ROOT)), value);
      }
      if (v.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
      }
      long amount = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return positive(Duration.ofSeconds(amount), value);
        case 'm':
          return positive(Duration.ofMinutes(amount), value);
        case 'h':
          return positive(Duration.ofHours(amount), value);
        case 'd':
          return positive(Duration.ofDays(amount), value);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // falls through to the one message below
    }
    throw new TypeConversionException(
        "'" + value + "' is not a duration; write for example 500ms, 30s, 5m, 1h or 7d");
  }

  private static Duration positive(Duration d, String value) {
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + value + "' must be above zero");
    }
    return d;
  }
}
