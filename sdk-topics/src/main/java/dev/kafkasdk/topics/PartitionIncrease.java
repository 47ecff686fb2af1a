package dev.kafkasdk.topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable request to add partitions to a topic, for {@link
 * TopicAdmin#increasePartitions(PartitionIncrease)}. Each {@code with...} method returns a new
 * request.
 *
 * <pre>{@code
 * PartitionIncrease grow = PartitionIncrease.forSpec(orders)      // keyed spec, 12 partitions
 *     .to(24)
 *     .withSampleKeys(recentCustomerIds)                         // report how many would move
 *     .acknowledging(KeyRemapAcknowledgement.because("consumers drained before the change"));
 * PartitionIncreaseResult result = topicAdmin.increasePartitions(grow);
 * }</pre>
 */
public final class PartitionIncrease {
  private final String topic;
  private final boolean keyed;
  private final Integer target;
  private final List<byte[]> sampleKeys;
  private final KeyRemapAcknowledgement acknowledgement;

  private PartitionIncrease(
      String topic,
      boolean keyed,
      Integer target,
      List<byte[]> sampleKeys,
      KeyRemapAcknowledgement acknowledgement) {
    this.topic = topic;
    this.keyed = keyed;
    this.target = target;
    this.sampleKeys = sampleKeys;
    this.acknowledgement = acknowledgement;
  }

  /**
   * A request for the topic of a spec; whether it is keyed comes from {@link TopicSpec#keyed()} and
   * the target count from {@link TopicSpec#partitions()} unless {@link #to(int)} overrides it.
   *
   * @param spec the topic's spec
   * @return the request
   * @throws NullPointerException if spec is null
   */
  public static PartitionIncrease forSpec(TopicSpec spec) {
    Objects.requireNonNull(spec, "spec");
    OptionalInt partitions = spec.partitions();
    return new PartitionIncrease(
        spec.name(),
        spec.keyed(),
        partitions.isPresent() ? partitions.getAsInt() : null,
        List.of(),
        null);
  }

  /**
   * A request for a topic by name. You must say whether it is keyed, because Kafka does not know.
   *
   * @param topic the topic name
   * @param keyed true if producers rely on key-to-partition mapping
   * @return the request; set the target with {@link #to(int)}
   * @throws NullPointerException if topic is null
   */
  public static PartitionIncrease forTopic(String topic, boolean keyed) {
    return new PartitionIncrease(
        Objects.requireNonNull(topic, "topic"), keyed, null, List.of(), null);
  }

  /**
   * Sets the new total partition count (not the number to add).
   *
   * @param partitions the total, at least 1
   * @return a new request
   * @throws IllegalArgumentException if partitions is below 1
   */
  public PartitionIncrease to(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    return new PartitionIncrease(topic, keyed, partitions, sampleKeys, acknowledgement);
  }

  /**
   * Adds String keys (serialized as UTF-8, like {@code StringSerializer}) whose movement is
   * reported.
   *
   * @param keys a sample of real keys, for example recent ones
   * @return a new request
   * @throws NullPointerException if keys is null
   */
  public PartitionIncrease withSampleKeys(Collection<String> keys) {
    List<byte[]> serialized = new ArrayList<>(keys.size());
    for (String key : keys) {
      serialized.add(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }
    return withSerializedSampleKeys(serialized);
  }

  /**
   * Adds keys already serialized with your producer's key serializer.
   *
   * @param keys a sample of serialized keys
   * @return a new request
   * @throws NullPointerException if keys is null
   */
  public PartitionIncrease withSerializedSampleKeys(Collection<byte[]> keys) {
    List<byte[]> all = new ArrayList<>(sampleKeys);
    for (byte[] key : keys) {
      all.add(key == null ? null : key.clone());
    }
    return new PartitionIncrease(
        topic, keyed, target, Collections.unmodifiableList(all), acknowledgement);
  }

  /**
   * Acknowledges that keys of a keyed topic will move. Without it a keyed topic is refused.
   *
   * @param acknowledgement the acknowledgement with its reason
   * @return a new request
   * @throws NullPointerException if acknowledgement is null
   */
  public PartitionIncrease acknowledging(KeyRemapAcknowledgement acknowledgement) {
    return new PartitionIncrease(
        topic,
        keyed,
        target,
        sampleKeys,
        Objects.requireNonNull(acknowledgement, "acknowledgement"));
  }

  /**
   * Returns the topic name.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * Tells whether the topic is declared keyed.
   *
   * @return true if keyed
   */
  public boolean keyed() {
    return keyed;
  }

  /**
   * Returns the target partition count.
   *
   * @return the total, empty if neither the spec nor {@link #to(int)} gave one
   */
  public OptionalInt target() {
    return target == null ? OptionalInt.empty() : OptionalInt.of(target);
  }

  /**
   * Returns the serialized sample keys.
   *
   * @return an unmodifiable list of copies (null entries are kept and skipped when counting)
   */
  public List<byte[]> sampleKeys() {
    // Copies: a caller changing a returned array must not change the keys this request reports.
    List<byte[]> copies = new ArrayList<>(sampleKeys.size());
    for (byte[] key : sampleKeys) {
      copies.add(key == null ? null : key.clone());
    }
    return Collections.unmodifiableList(copies);
  }

  /**
   * Returns the acknowledgement.
   *
   * @return the acknowledgement, empty if none was given
   */
  public Optional<KeyRemapAcknowledgement> acknowledgement() {
    return Optional.ofNullable(acknowledgement);
  }
}
