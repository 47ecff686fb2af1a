package dev.kafkasdk.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A record of a dead-letter topic, as a typed view over its {@link DeadLetterHeaders}: where the
 * failed record came from, why it failed, and its original key and value bytes.
 *
 * <p>A dead letter written by another tool (without the SDK's headers) is still a {@code
 * DeadLetter}: its optional parts are empty, and {@link #hasSdkHeaders()} is false. A header whose
 * value cannot be parsed (a partition that is not a number) reads as absent.
 *
 * <p>The failure time is the dead letter's own record timestamp: the runner writes the dead letter
 * when the record fails for good, with the producer's {@code CreateTime} (or the broker's append
 * time on a topic with {@code message.timestamp.type=LogAppendTime}).
 *
 * <pre>{@code
 * DeadLetter letter = DeadLetter.of(record); // a ConsumerRecord<byte[], byte[]> of "orders.DLT"
 * letter.originalTopic();      // Optional[orders]
 * letter.exceptionClass();     // Optional[java.lang.IllegalStateException]
 * }</pre>
 *
 * <p>Immutable: the key, value and header values are copied in and out.
 */
public final class DeadLetter {
  private final String topic;
  private final int partition;
  private final long offset;
  private final Instant failureTime;
  private final byte[] key;
  private final byte[] value;
  private final List<Header> headers;

  private DeadLetter(
      String topic,
      int partition,
      long offset,
      Instant failureTime,
      byte[] key,
      byte[] value,
      List<Header> headers) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.failureTime = failureTime;
    this.key = key;
    this.value = value;
    this.headers = headers;
  }

  /**
   * Reads a record of a dead-letter topic.
   *
   * @param record the record as read, with byte-array key and value
   * @return the view; its key, value and headers are copies
   * @throws NullPointerException if {@code record} is null
   */
  public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    Objects.requireNonNull(record, "record");
    List<Header> copied = new ArrayList<>();
    for (Header header : record.headers()) {
      copied.add(new RecordHeader(header.key(), copy(header.value())));
    }
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        Instant.ofEpochMilli(record.timestamp()),
        copy(record.key()),
        copy(record.value()),
        Collections.unmodifiableList(copied));
  }

  /**
   * Returns the dead-letter topic this record was read from.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * Returns the record's partition in the dead-letter topic.
   *
   * @return the partition
   */
  public int partition() {
    return partition;
  }

  /**
   * Returns the record's offset in the dead-letter topic.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }

  /**
   * Returns when the record failed: the dead letter's record timestamp.
   *
   * @return the failure time
   */
  public Instant failureTime() {
    return failureTime;
  }

  /**
   * Returns the original key bytes, exactly as the failed record had them.
   *
   * @return a copy of the key, or null if the record had none
   */
  public byte[] key() {
    return copy(key);
  }

  /**
   * Returns the original value bytes, exactly as the failed record had them.
   *
   * @return a copy of the value, or null for a tombstone
   */
  public byte[] value() {
    return copy(value);
  }

  /**
   * Returns every header of the dead letter, in order: the original record's own and the SDK's
   * {@code ksdk.dlt.*} headers.
   *
   * @return an unmodifiable list; each header's value is a copy
   */
  public List<Header> headers() {
    List<Header> out = new ArrayList<>(headers.size());
    for (Header header : headers) {
      out.add(new RecordHeader(header.key(), copy(header.value())));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Returns the value of the last header with this name, as UTF-8 text.
   *
   * @param name the header name
   * @return its value, or empty if there is no such header or its value is null
   */
  public Optional<String> header(String name) {
    Objects.requireNonNull(name, "name");
    for (int i = headers.size() - 1; i >= 0; i--) {
      Header header = headers.get(i);
      if (header.key().equals(name)) {
        return header.value() == null
            ? Optional.empty()
            : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether a {@link ConsumerRunner} wrote this dead letter: it has the {@link
   * DeadLetterHeaders#ORIGINAL_TOPIC} header.
   *
   * @return true if the SDK's headers are present
   */
  public boolean hasSdkHeaders() {
    return originalTopic().isPresent();
  }

  /**
   * Returns the topic the failed record was read from ({@link DeadLetterHeaders#ORIGINAL_TOPIC}).
   *
   * @return the topic, or empty without the header
   */
  public Optional<String> originalTopic() {
    return header(DeadLetterHeaders.ORIGINAL_TOPIC).filter(topic -> !topic.isEmpty());
  }

  /**
   * Returns the failed record's partition ({@link DeadLetterHeaders#ORIGINAL_PARTITION}).
   *
   * @return the partition, or empty without a valid header
   */
  public OptionalInt originalPartition() {
    OptionalLong parsed = number(DeadLetterHeaders.ORIGINAL_PARTITION);
    return parsed.isPresent() && parsed.getAsLong() <= Integer.MAX_VALUE
        ? OptionalInt.of((int) parsed.getAsLong())
        : OptionalInt.empty();
  }

  /**
   * Returns the failed record's offset ({@link DeadLetterHeaders#ORIGINAL_OFFSET}).
   *
   * @return the offset, or empty without a valid header
   */
  public OptionalLong originalOffset() {
    return number(DeadLetterHeaders.ORIGINAL_OFFSET);
  }

  /**
   * Returns the failed record's timestamp ({@link DeadLetterHeaders#ORIGINAL_TIMESTAMP}).
   *
   * @return the timestamp, or empty without a valid header
   */
  public Optional<Instant> originalTimestamp() {
    OptionalLong millis = number(DeadLetterHeaders.ORIGINAL_TIMESTAMP);
    return millis.isPresent()
        ? Optional.of(Instant.ofEpochMilli(millis.getAsLong()))
        : Optional.empty();
  }

  /**
   * Returns the class name of the failure ({@link DeadLetterHeaders#EXCEPTION_CLASS}).
   *
   * @return the fully qualified class name, or empty without the header
   */
  public Optional<String> exceptionClass() {
    return header(DeadLetterHeaders.EXCEPTION_CLASS).filter(name -> !name.isEmpty());
  }

  /**
   * Returns the failure's message ({@link DeadLetterHeaders#EXCEPTION_MESSAGE}).
   *
   * @return the message (empty text if the failure had none), or empty without the header
   */
  public Optional<String> exceptionMessage() {
    return header(DeadLetterHeaders.EXCEPTION_MESSAGE);
  }

  /**
   * Returns how many processing attempts were made ({@link DeadLetterHeaders#ATTEMPTS}).
   *
   * @return the attempts (0 for a record that could not be deserialized), or empty without a valid
   *     header
   */
  public OptionalInt attempts() {
    OptionalLong parsed = number(DeadLetterHeaders.ATTEMPTS);
    return parsed.isPresent() && parsed.getAsLong() <= Integer.MAX_VALUE
        ? OptionalInt.of((int) parsed.getAsLong())
        : OptionalInt.empty();
  }

  /**
   * Returns the kind of failure ({@link DeadLetterHeaders#FAILURE_KIND}): {@code handler}, {@code
   * key-deserialization} or {@code value-deserialization}.
   *
   * @return the kind, or empty without the header
   */
  public Optional<String> failureKind() {
    return header(DeadLetterHeaders.FAILURE_KIND).filter(kind -> !kind.isEmpty());
  }

  private OptionalLong number(String name) {
    Optional<String> text = header(name);
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long parsed = Long.parseLong(text.get().trim());
      return parsed < 0 ? OptionalLong.empty() : OptionalLong.of(parsed);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static byte[] copy(byte[] bytes) {
    return bytes == null ? null : bytes.clone();
  }

  @Override
  public String toString() {
    return "DeadLetter["
        + topic
        + "-"
        + partition
        + "@"
        + offset
        + ", original="
        + originalTopic().orElse("?")
        + "-"
        + (originalPartition().isPresent() ? originalPartition().getAsInt() : "?")
        + "@"
        + (originalOffset().isPresent() ? originalOffset().getAsLong() : "?")
        + ", exception="
        + exceptionClass().orElse("?")
        + "]";
  }
}
