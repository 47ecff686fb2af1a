package dev.kafkasdk.reliability;

import java.util.Objects;

/**
 * What a test producer writes: logical producer, key and a per-(producer, key) sequence number that
 * rises by one with every send. The triple identifies a write, so the checker can tell a duplicate
 * (same triple at two offsets) from a second write.
 *
 * @param producer logical producer name
 * @param key record key
 * @param sequence per-(producer, key) sequence, starting at 0
 */
public record Payload(String producer, String key, long sequence) {
  private static final char SEPARATOR = '|';

  /** Validates the parts. */
  public Payload {
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(key, "key");
    if (producer.indexOf(SEPARATOR) >= 0 || key.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("producer and key must not contain '|'");
    }
  }

  /**
   * Encodes the payload as a record value.
   *
   * @return {@code producer|key|sequence}
   */
  public String encode() {
    return producer + SEPARATOR + key + SEPARATOR + sequence;
  }

  /**
   * Decodes a value written by {@link #encode()}.
   *
   * @param value the record value
   * @return the payload
   * @throws IllegalArgumentException if the value is not an encoded payload
   */
  public static Payload decode(String value) {
    if (value == null) {
      throw new IllegalArgumentException("null is not an encoded payload");
    }
    int first = value.indexOf(SEPARATOR);
    int second = value.indexOf(SEPARATOR, first + 1);
    if (first < 0 || second < 0) {
      throw new IllegalArgumentException("not an encoded payload: " + value);
    }
    return new Payload(
        value.substring(0, first),
        value.substring(first + 1, second),
        Long.parseLong(value.substring(second + 1)));
  }
}
