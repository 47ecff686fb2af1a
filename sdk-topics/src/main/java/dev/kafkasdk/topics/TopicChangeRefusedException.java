package dev.kafkasdk.topics;

import dev.kafkasdk.core.KafkaSdkException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link TopicAdmin#increasePartitions(PartitionIncrease)} refused a change that would break the
 * topic: Kafka cannot remove partitions, and adding partitions to a keyed topic remaps keys unless
 * you acknowledge it. Nothing was changed on the cluster.
 */
public final class TopicChangeRefusedException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  /** Why the change was refused. */
  public enum Reason {
    /** The target count is below the current count; Kafka can only add partitions. */
    PARTITION_DECREASE,
    /** The topic is keyed and no {@link KeyRemapAcknowledgement} was given. */
    KEYED_TOPIC_NOT_ACKNOWLEDGED
  }

  private final String topic;
  private final Reason reason;
  private final transient KeyMovement keyMovement;

  /**
   * Creates the exception.
   *
   * @param topic the topic
   * @param reason why the change was refused
   * @param keyMovement how keys would have moved, or null when not computed
   * @param message the full explanation including the fix
   */
  public TopicChangeRefusedException(
      String topic, Reason reason, KeyMovement keyMovement, String message) {
    super(message);
    this.topic = Objects.requireNonNull(topic, "topic");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.keyMovement = keyMovement;
  }

  /**
   * Returns the topic.
   *
   * @return the topic name
   */
  public String topic() {
    return topic;
  }

  /**
   * Returns why the change was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns how many keys would have moved (for {@link Reason#KEYED_TOPIC_NOT_ACKNOWLEDGED}).
   *
   * @return the movement, empty for a decrease
   */
  public Optional<KeyMovement> keyMovement() {
    return Optional.ofNullable(keyMovement);
  }
}
