package dev.kafkasdk.consumer;

import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * What a runner had in hand beyond its committed offset when it committed: written by every {@link
 * ConsumerRunner} into the metadata string of each offset commit, and read back by tools ({@code
 * ksdk group lag}) to show work that is done but not yet committable, and work in flight.
 *
 * <p>A runner commits the offset of the oldest unfinished record, so records after it that already
 * finished are not covered by the commit; after a crash they are delivered again. {@link
 * #completedAhead()} counts them, {@link #inFlight()} counts the records at or above the commit
 * point still being handled (or waiting), and {@link #highestDispatched()} is the newest offset the
 * runner had taken from the partition.
 *
 * <p>The metadata format is versioned: {@code ksdk1;done=<completedAhead>;pending=<inFlight>;
 * hi=<highestDispatched>}, for example {@code ksdk1;done=6;pending=1;hi=9}. Fields are {@code
 * key=value} pairs separated by {@code ;} after a {@code ksdk<version>} tag; a reader ignores
 * fields it does not know, and a later version only adds fields, so {@link #parse(String)} reads
 * any version that carries these three. Commits by other clients (no tag, or another text) parse as
 * empty. The string stays far below the broker's {@code offset.metadata.max.bytes} (4096 by
 * default).
 *
 * <pre>{@code
 * Map<TopicPartition, OffsetAndMetadata> offsets =
 *     admin.listConsumerGroupOffsets("orders").partitionsToOffsetAndMetadata().get();
 * offsets.forEach((tp, committed) -> CommittedProgress.parse(committed).ifPresent(p ->
 *     System.out.printf("%s: %d done ahead, %d in flight%n", tp, p.completedAhead(), p.inFlight())));
 * }</pre>
 *
 * @param completedAhead records at or above the committed offset that finished (held back by an
 *     older unfinished record); 0 or more
 * @param inFlight records at or above the committed offset taken from the partition and not yet
 *     finished; 0 or more
 * @param highestDispatched the offset of the newest record the runner had taken from the partition,
 *     or -1 if none
 */
public record CommittedProgress(long completedAhead, long inFlight, long highestDispatched) {
  /** The tag of the current format version, first in the metadata string. */
  public static final String FORMAT_TAG = "ksdk1";

  private static final String TAG_PREFIX = "ksdk";

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if a count is negative or highestDispatched is below -1
   */
  public CommittedProgress {
    if (completedAhead < 0 || inFlight < 0 || highestDispatched < -1) {
      throw new IllegalArgumentException(
          "counts must be at least 0 and highestDispatched at least -1, were "
              + completedAhead
              + ", "
              + inFlight
              + ", "
              + highestDispatched);
    }
  }

  /**
   * Writes the metadata string a runner commits.
   *
   * @return for example {@code ksdk1;done=6;pending=1;hi=9}
   */
  public String encode() {
    return FORMAT_TAG
        + ";done="
        + completedAhead
        + ";pending="
        + inFlight
        + ";hi="
        + highestDispatched;
  }

  /**
   * Reads the progress from a committed offset's metadata.
   *
   * @param committed a committed offset, for example from {@code Admin.listConsumerGroupOffsets};
   *     may be null (no commit)
   * @return the progress, or empty if the offset was not committed by an SDK runner
   */
  public static Optional<CommittedProgress> parse(OffsetAndMetadata committed) {
    return committed == null ? Optional.empty() : parse(committed.metadata());
  }

  /**
   * Reads the progress from a metadata string.
   *
   * @param metadata the string; may be null or empty
   * @return the progress, or empty if the string is not in this format (another client's commit, or
   *     a damaged string)
   */
  public static Optional<CommittedProgress> parse(String metadata) {
    if (metadata == null || !metadata.startsWith(TAG_PREFIX)) {
      return Optional.empty();
    }
    String[] fields = metadata.split(";", -1);
    if (!isVersionTag(fields[0])) {
      return Optional.empty();
    }
    Long done = null;
    Long pending = null;
    Long hi = null;
    for (int i = 1; i < fields.length; i++) {
      int eq = fields[i].indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = fields[i].substring(0, eq);
      Long value = number(fields[i].substring(eq + 1));
      switch (key) {
        case "done" -> done = value;
        case "pending" -> pending = value;
        case "hi" -> hi = value;
        default -> {
          // a field of a later version
        }
      }
    }
    if (done == null || pending == null || hi == null) {
      return Optional.empty();
    }
    if (done < 0 || pending < 0 || hi < -1) {
      return Optional.empty();
    }
    return Optional.of(new CommittedProgress(done, pending, hi));
  }

  private static boolean isVersionTag(String tag) {
    if (tag.length() <= TAG_PREFIX.length()) {
      return false;
    }
    for (int i = TAG_PREFIX.length(); i < tag.length(); i++) {
      if (!Character.isDigit(tag.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static Long number(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
