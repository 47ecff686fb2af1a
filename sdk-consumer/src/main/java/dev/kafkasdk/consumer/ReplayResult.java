package dev.kafkasdk.consumer;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link DeadLetterReplay} did.
 *
 * @param deadLetterTopic the topic read
 * @param groupId the replay's consumer group
 * @param dryRun true if nothing was sent or committed
 * @param scanned dead letters read, from the group's position up to the end offsets captured at
 *     start
 * @param matched of those, how many the selector chose
 * @param sent records sent and committed (0 in a dry run)
 * @param unroutable matched dead letters without an original topic, not sent because no target
 *     topic was given
 * @param perTarget sent records per target topic; in a dry run, the records that would be sent
 */
public record ReplayResult(
    String deadLetterTopic,
    String groupId,
    boolean dryRun,
    long scanned,
    long matched,
    long sent,
    long unroutable,
    Map<String, Long> perTarget) {
  /**
   * Validates and copies the per-target counts (sorted by topic).
   *
   * @throws NullPointerException if a topic, group or map is null
   */
  public ReplayResult {
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    Objects.requireNonNull(groupId, "groupId");
    perTarget =
        Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(perTarget, "perTarget")));
  }
}
