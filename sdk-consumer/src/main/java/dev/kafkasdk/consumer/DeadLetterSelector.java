package dev.kafkasdk.consumer;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which dead letters a {@link DeadLetterReplay} replays or a {@link DeadLetterReader} lists. Every
 * criterion given must hold (they are combined with AND); a selector without criteria selects every
 * dead letter.
 *
 * <ul>
 *   <li>{@link Builder#since(Instant)} / {@link Builder#until(Instant)}: the {@linkplain
 *       DeadLetter#failureTime() failure time} (the dead letter's record timestamp) is at or after
 *       {@code since} and before {@code until}.
 *   <li>{@link Builder#originalTopic(String)}, {@link Builder#originalPartition(int)}, {@link
 *       Builder#originalOffsetFrom(long)} / {@link Builder#originalOffsetTo(long)} (both
 *       inclusive): where the failed record was.
 *   <li>{@link Builder#exception(String)}: the failure's class name, exactly; a name without a
 *       package ({@code IllegalStateException}) matches that simple name in any package (and a
 *       nested class's name after its {@code $}). Subclasses do not match: the header holds only
 *       the class name, and the JVM that replays need not have the application's classes to look up
 *       their hierarchy. Several names match any of them.
 *   <li>{@link Builder#header(String, String)}: the last header of that name has that UTF-8 value.
 * </ul>
 *
 * <p>A criterion on a part the dead letter lacks (a dead letter written without the SDK's headers
 * has no original partition) does not hold.
 *
 * <pre>{@code
 * DeadLetterSelector selector =
 *     DeadLetterSelector.builder()
 *         .since(Instant.parse("2026-12-01T00:00:00Z"))
 *         .originalPartition(3)
 *         .exception("java.net.SocketTimeoutException")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DeadLetterSelector implements Predicate<DeadLetter> {
  private static final DeadLetterSelector ALL = new Builder().build();

  private final Instant since;
  private final Instant until;
  private final String originalTopic;
  private final Integer originalPartition;
  private final Long offsetFrom;
  private final Long offsetTo;
  private final Set<String> exceptions;
  private final Map<String, String> headers;

  private DeadLetterSelector(Builder builder) {
    this.since = builder.since;
    this.until = builder.until;
    this.originalTopic = builder.originalTopic;
    this.originalPartition = builder.originalPartition;
    this.offsetFrom = builder.offsetFrom;
    this.offsetTo = builder.offsetTo;
    this.exceptions = Collections.unmodifiableSet(new LinkedHashSet<>(builder.exceptions));
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
  }

  /**
   * Selects every dead letter.
   *
   * @return the selector without criteria
   */
  public static DeadLetterSelector all() {
    return ALL;
  }

  /**
   * Starts describing a selection.
   *
   * @return a builder without criteria
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether the dead letter meets every criterion.
   *
   * @param letter the dead letter
   * @return true if selected
   * @throws NullPointerException if {@code letter} is null
   */
  @Override
  public boolean test(DeadLetter letter) {
    Objects.requireNonNull(letter, "letter");
    Instant failed = letter.failureTime();
    if (since != null && failed.isBefore(since)) {
      return false;
    }
    if (until != null && !failed.isBefore(until)) {
      return false;
    }
    if (originalTopic != null && !letter.originalTopic().equals(Optional.of(originalTopic))) {
      return false;
    }
    if (originalPartition != null) {
      OptionalInt partition = letter.originalPartition();
      if (partition.isEmpty() || partition.getAsInt() != originalPartition) {
        return false;
      }
    }
    if (offsetFrom != null || offsetTo != null) {
      OptionalLong offset = letter.originalOffset();
      if (offset.isEmpty()
          || (offsetFrom != null && offset.getAsLong() < offsetFrom)
          || (offsetTo != null && offset.getAsLong() > offsetTo)) {
        return false;
      }
    }
    if (!exceptions.isEmpty()) {
      Optional<String> name = letter.exceptionClass();
      if (name.isEmpty() || exceptions.stream().noneMatch(e -> namesClass(e, name.get()))) {
        return false;
      }
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!letter.header(header.getKey()).equals(Optional.of(header.getValue()))) {
        return false;
      }
    }
    return true;
  }

  /** A full name matches itself; a name without a package matches the simple or nested name. */
  static boolean namesClass(String wanted, String className) {
    if (className.equals(wanted)) {
      return true;
    }
    return wanted.indexOf('.') < 0
        && (className.endsWith("." + wanted) || className.endsWith("$" + wanted));
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (since != null) {
      parts.add("since=" + since);
    }
    if (until != null) {
      parts.add("until=" + until);
    }
    if (originalTopic != null) {
      parts.add("originalTopic=" + originalTopic);
    }
    if (originalPartition != null) {
      parts.add("originalPartition=" + originalPartition);
    }
    if (offsetFrom != null) {
      parts.add("originalOffsetFrom=" + offsetFrom);
    }
    if (offsetTo != null) {
      parts.add("originalOffsetTo=" + offsetTo);
    }
    if (!exceptions.isEmpty()) {
      parts.add("exception=" + exceptions);
    }
    if (!headers.isEmpty()) {
      parts.add("headers=" + headers);
    }
    return "DeadLetterSelector" + (parts.isEmpty() ? "[all]" : parts.toString());
  }

  /** Collects the criteria; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private Instant since;
    private Instant until;
    private String originalTopic;
    private Integer originalPartition;
    private Long offsetFrom;
    private Long offsetTo;
    private final Set<String> exceptions = new LinkedHashSet<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Selects dead letters that failed at or after this instant.
     *
     * @param since inclusive lower bound of the failure time
     * @return this builder
     */
    public Builder since(Instant since) {
      this.since = Objects.requireNonNull(since, "since");
      return this;
    }

    /**
     * Selects dead letters that failed before this instant.
     *
     * @param until exclusive upper bound of the failure time
     * @return this builder
     */
    public Builder until(Instant until) {
      this.until = Objects.requireNonNull(until, "until");
      return this;
    }

    /**
     * Selects dead letters of records read from this topic (useful when several topics share one
     * dead-letter topic).
     *
     * @param topic the original topic
     * @return this builder
     */
    public Builder originalTopic(String topic) {
      this.originalTopic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * Selects dead letters of records read from this partition of their topic.
     *
     * @param partition the original partition, at least 0
     * @return this builder
     */
    public Builder originalPartition(int partition) {
      this.originalPartition = partition;
      return this;
    }

    /**
     * Selects dead letters of records at or after this offset of their partition.
     *
     * @param offset inclusive lower bound of the original offset, at least 0
     * @return this builder
     */
    public Builder originalOffsetFrom(long offset) {
      this.offsetFrom = offset;
      return this;
    }

    /**
     * Selects dead letters of records at or before this offset of their partition.
     *
     * @param offset inclusive upper bound of the original offset, at least 0
     * @return this builder
     */
    public Builder originalOffsetTo(long offset) {
      this.offsetTo = offset;
      return this;
    }

    /**
     * Selects dead letters whose failure has this class name (or, called more than once, any of the
     * names). A name without a package matches that simple name in any package; subclasses never
     * match.
     *
     * @param className a fully qualified or simple class name
     * @return this builder
     */
    public Builder exception(String className) {
      exceptions.add(Objects.requireNonNull(className, "className"));
      return this;
    }

    /**
     * Selects dead letters whose last header of this name has this value as UTF-8 text. Called for
     * several names, all must match; called again for one name, the last value counts.
     *
     * @param name the header name
     * @param value the expected value
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Validates the criteria and creates the selector.
     *
     * @return the selector
     * @throws SdkConfigException if {@code since} is not before {@code until}, a partition or
     *     offset is negative, the offset range is empty, or a name is blank
     */
    public DeadLetterSelector build() {
      if (since != null && until != null && !since.isBefore(until)) {
        throw new SdkConfigException(
            "until",
            "is " + until + ", not after since " + since + ", so nothing can match",
            "give an until after since (until is exclusive)");
      }
      if (originalTopic != null && originalTopic.isBlank()) {
        throw new SdkConfigException(
            "originalTopic", "is blank", "give a topic name, or leave it out to select any topic");
      }
      if (originalPartition != null && originalPartition < 0) {
        throw new SdkConfigException(
            "originalPartition", "is " + originalPartition + ", below 0", "give a partition >= 0");
      }
      if (offsetFrom != null && offsetFrom < 0) {
        throw new SdkConfigException(
            "originalOffsetFrom", "is " + offsetFrom + ", below 0", "give an offset >= 0");
      }
      if (offsetTo != null && offsetTo < 0) {
        throw new SdkConfigException(
            "originalOffsetTo", "is " + offsetTo + ", below 0", "give an offset >= 0");
      }
      if (offsetFrom != null && offsetTo != null && offsetFrom > offsetTo) {
        throw new SdkConfigException(
            "originalOffsetTo",
            "is " + offsetTo + ", below originalOffsetFrom " + offsetFrom,
            "give originalOffsetTo >= originalOffsetFrom (both are inclusive)");
      }
      for (String name : exceptions) {
        if (name.isBlank()) {
          throw new SdkConfigException(
              "exception", "is blank", "give a class name such as java.io.IOException");
        }
      }
      for (String name : headers.keySet()) {
        if (name.isBlank()) {
          throw new SdkConfigException("header", "has a blank name", "give the header's name");
        }
      }
      return new DeadLetterSelector(this);
    }
  }
}
