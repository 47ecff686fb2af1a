package dev.kafkasdk.topics;

import java.util.Collection;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * How many keys change partition when a keyed topic grows from {@code fromPartitions} to {@code
 * toPartitions}. Kafka's default partitioner sends a keyed record to {@code
 * toPositive(murmur2(serializedKey)) % partitions}; when the count changes, most keys land in a
 * different partition, so records of one key are split between two partitions and per-key order
 * across the change is lost.
 *
 * <pre>{@code
 * KeyMovement m = KeyMovement.estimate(6, 8, sampleKeys);   // serialized keys
 * System.out.printf("%d of %d sampled keys move%n", m.movedKeys(), m.sampledKeys());
 * }</pre>
 *
 * @param fromPartitions the current partition count
 * @param toPartitions the new partition count
 * @param sampledKeys how many non-null sample keys were checked (0 if no sample was given)
 * @param movedKeys how many of them map to a different partition afterwards
 * @param expectedMovedFraction the share of all possible keys that move, from the arithmetic alone:
 *     {@code 1 - min(from, to) / lcm(from, to)}
 */
public record KeyMovement(
    int fromPartitions,
    int toPartitions,
    int sampledKeys,
    int movedKeys,
    double expectedMovedFraction) {

  /**
   * Computes the movement of a sample of keys, serialized the way your producer serializes them
   * (for String keys: UTF-8 bytes). Null keys are skipped: they are not placed by hash.
   *
   * @param fromPartitions current count, at least 1
   * @param toPartitions new count, at least 1
   * @param serializedKeys the sample
   * @return the movement
   * @throws IllegalArgumentException if a count is below 1
   * @throws NullPointerException if serializedKeys is null
   */
  public static KeyMovement estimate(
      int fromPartitions, int toPartitions, Collection<byte[]> serializedKeys) {
    Objects.requireNonNull(serializedKeys, "serializedKeys");
    double expected = expectedMovedFraction(fromPartitions, toPartitions);
    int sampled = 0;
    int moved = 0;
    for (byte[] key : serializedKeys) {
      if (key == null) {
        continue;
      }
      sampled++;
      if (partitionForKey(key, fromPartitions) != partitionForKey(key, toPartitions)) {
        moved++;
      }
    }
    return new KeyMovement(fromPartitions, toPartitions, sampled, moved, expected);
  }

  /**
   * The partition Kafka's default partitioner chooses for a serialized key.
   *
   * @param serializedKey the key bytes
   * @param partitions the partition count, at least 1
   * @return a partition number in {@code [0, partitions)}
   * @throws IllegalArgumentException if partitions is below 1
   */
  public static int partitionForKey(byte[] serializedKey, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(serializedKey)) % partitions;
  }

  /**
   * The share of uniformly hashed keys that change partition. A hash {@code h} keeps its partition
   * exactly when {@code h mod from == h mod to}, which holds for {@code min(from, to)} residues out
   * of every {@code lcm(from, to)}; doubling 6 to 12 moves half the keys, 6 to 7 moves 6 in 7.
   *
   * @param fromPartitions current count, at least 1
   * @param toPartitions new count, at least 1
   * @return a fraction in {@code [0, 1)}
   * @throws IllegalArgumentException if a count is below 1
   */
  public static double expectedMovedFraction(int fromPartitions, int toPartitions) {
    if (fromPartitions < 1 || toPartitions < 1) {
      throw new IllegalArgumentException(
          "partition counts must be at least 1, were " + fromPartitions + " and " + toPartitions);
    }
    long gcd = gcd(fromPartitions, toPartitions);
    long lcm = (long) fromPartitions / gcd * toPartitions;
    return 1.0 - (double) Math.min(fromPartitions, toPartitions) / lcm;
  }

  /**
   * Returns the moved share of the sample.
   *
   * @return {@code movedKeys / sampledKeys}, or {@link #expectedMovedFraction()} without a sample
   */
  public double movedFraction() {
    return sampledKeys == 0 ? expectedMovedFraction : (double) movedKeys / sampledKeys;
  }

  /**
   * Returns a one-line description for logs and exception messages.
   *
   * @return for example {@code 6 -> 8 partitions: 739 of 1000 sampled keys (73.9%) change
   *     partition; about 75.0% of all keys}
   */
  public String describe() {
    String expected = String.format("about %.1f%% of all keys", expectedMovedFraction * 100);
    if (sampledKeys == 0) {
      return fromPartitions
          + " -> "
          + toPartitions
          + " partitions: "
          + expected
          + " change partition";
    }
    return String.format(
        "%d -> %d partitions: %d of %d sampled keys (%.1f%%) change partition; %s",
        fromPartitions, toPartitions, movedKeys, sampledKeys, movedFraction() * 100, expected);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
