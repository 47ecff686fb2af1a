package dev.kafkasdk.topics;

import java.util.Objects;

/**
 * Your explicit statement that adding partitions to a keyed topic is acceptable even though keys
 * will map to different partitions afterwards (records of one key written before and after the
 * change may be consumed out of order, and a compacted topic may hold two live values for a key
 * until the old partition's copy is overwritten or removed).
 *
 * <pre>{@code
 * KeyRemapAcknowledgement ack = KeyRemapAcknowledgement.because(
 *     "consumers are drained and producers paused during the change");
 * }</pre>
 *
 * @param reason why the move is acceptable; it is logged with the change
 */
public record KeyRemapAcknowledgement(String reason) {

  /**
   * Checks the reason.
   *
   * @throws IllegalArgumentException if the reason is blank
   * @throws NullPointerException if the reason is null
   */
  public KeyRemapAcknowledgement {
    if (Objects.requireNonNull(reason, "reason").isBlank()) {
      throw new IllegalArgumentException("an acknowledgement needs a reason");
    }
  }

  /**
   * Creates an acknowledgement.
   *
   * @param reason why moving keys is acceptable, for the log
   * @return the acknowledgement
   * @throws IllegalArgumentException if the reason is blank
   */
  public static KeyRemapAcknowledgement because(String reason) {
    return new KeyRemapAcknowledgement(reason);
  }
}
