package dev.kafkasdk.topics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The topic's {@code cleanup.policy}: how the broker removes old records.
 *
 * <ul>
 *   <li>{@link #DELETE}: whole segments are deleted once they are older than {@code retention.ms}
 *       or the partition is larger than {@code retention.bytes}. Deleted data cannot be recovered.
 *   <li>{@link #COMPACT}: for each key only the latest record is kept (the cleaner removes older
 *       records of the same key from non-active segments). Every record needs a key.
 *   <li>{@link #COMPACT_DELETE}: both: compacted, and still deleted by retention.
 * </ul>
 */
public enum CleanupPolicy {
  /** {@code cleanup.policy=delete}. */
  DELETE("delete"),
  /** {@code cleanup.policy=compact}. */
  COMPACT("compact"),
  /** {@code cleanup.policy=compact,delete}. */
  COMPACT_DELETE("compact,delete");

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /**
   * Returns the value Kafka expects for {@code cleanup.policy}.
   *
   * @return for example {@code compact,delete}
   */
  public String configValue() {
    return configValue;
  }

  /**
   * Tells whether the broker's log cleaner compacts this topic.
   *
   * @return true for {@link #COMPACT} and {@link #COMPACT_DELETE}
   */
  public boolean compacts() {
    return this != DELETE;
  }

  /**
   * Tells whether retention ({@code retention.ms}, {@code retention.bytes}) deletes segments.
   *
   * @return true for {@link #DELETE} and {@link #COMPACT_DELETE}
   */
  public boolean deletes() {
    return this != COMPACT;
  }

  /**
   * Parses a {@code cleanup.policy} value as Kafka reports it, in any order and case: {@code
   * delete}, {@code compact}, {@code compact,delete} or {@code delete,compact}.
   *
   * @param value the configuration value
   * @return the policy, or empty if the value is not one of the above (for example an empty list)
   * @throws NullPointerException if value is null
   */
  public static Optional<CleanupPolicy> fromConfigValue(String value) {
    Objects.requireNonNull(value, "value");
    Set<String> parts = new TreeSet<>();
    for (String part : value.split(",")) {
      String trimmed = part.trim().toLowerCase(Locale.ROOT);
      if (!trimmed.isEmpty()) {
        parts.add(trimmed);
      }
    }
    return Arrays.stream(values())
        .filter(p -> new TreeSet<>(Arrays.asList(p.configValue.split(","))).equals(parts))
        .findFirst();
  }
}
