package dev.kafkasdk.reliability;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The events a {@link History} records. Times are {@link System#nanoTime()} values. */
public final class Events {
  private Events() {}

  /** How a send ended. */
  public enum SendStatus {
    /** Acknowledged: the record must be in the log (unless its transaction aborted). */
    OK,
    /** Definitely not written. */
    FAILED,
    /** Indefinite, e.g. a timeout: may or may not be in the log, but never twice. */
    UNKNOWN
  }

  /**
   * One send by a test producer.
   *
   * @param payload what was sent
   * @param status how it ended
   * @param partition acknowledged partition, or -1
   * @param offset acknowledged offset, or -1
   * @param aborted true if it was sent in a transaction that the test aborted on purpose
   */
  public record Send(
      Payload payload, SendStatus status, int partition, long offset, boolean aborted) {
    /**
     * An acknowledged, non-transactional or committed send.
     *
     * @param payload what was sent
     * @param partition acknowledged partition
     * @param offset acknowledged offset
     * @return the event
     */
    public static Send ok(Payload payload, int partition, long offset) {
      return new Send(payload, SendStatus.OK, partition, offset, false);
    }
  }

  /**
   * One handler invocation that completed (successfully or not).
   *
   * @param runner the runner incarnation, e.g. {@code runner-2}
   * @param generation the assignment generation of the partition when dispatched
   * @param partition input partition
   * @param offset input offset
   * @param payload the record's payload
   * @param startNanos when the handler started
   * @param endNanos when the handler finished
   * @param succeeded whether the handler finished without throwing
   */
  public record Delivery(
      String runner,
      long generation,
      TopicPartition partition,
      long offset,
      Payload payload,
      long startNanos,
      long endNanos,
      boolean succeeded) {

    /**
     * A successful handler call on a record whose value is an encoded {@link Payload}, ending now.
     *
     * @param runner the runner incarnation
     * @param record the record handled
     * @param startNanos when the handler started
     * @return the delivery, generation 0 (runners do not expose their assignment generation)
     * @throws IllegalArgumentException if the value is not an encoded payload
     */
    public static Delivery finished(
        String runner, ConsumerRecord<String, String> record, long startNanos) {
      return endingNow(runner, record, startNanos, true);
    }

    /**
     * A handler call that threw on a record whose value is an encoded {@link Payload}, ending now.
     *
     * @param runner the runner incarnation
     * @param record the record handled
     * @param startNanos when the handler started
     * @return the delivery, generation 0
     * @throws IllegalArgumentException if the value is not an encoded payload
     */
    public static Delivery failed(
        String runner, ConsumerRecord<String, String> record, long startNanos) {
      return endingNow(runner, record, startNanos, false);
    }

    private static Delivery endingNow(
        String runner, ConsumerRecord<String, String> record, long startNanos, boolean succeeded) {
      return new Delivery(
          runner,
          0,
          new TopicPartition(record.topic(), record.partition()),
          record.offset(),
          Payload.decode(record.value()),
          startNanos,
          System.nanoTime(),
          succeeded);
    }
  }

  /**
   * A transaction a copier made fail on purpose: the send of one output record threw in the output
   * producer's partitioner, so the transaction of that record's batch ends without committing and
   * the copier rewinds to the committed offsets.
   *
   * @param runner the copier incarnation
   * @param payload the payload of the output record (the input record it copies)
   * @param nanos when the send threw
   */
  public record InjectedAbort(String runner, Payload payload, long nanos) {}

  /**
   * One offset commit attempt.
   *
   * @param runner the runner incarnation
   * @param partition the partition
   * @param offset the committed offset (the next record to read)
   * @param sentNanos when the commit was sent
   * @param succeeded whether the broker accepted it
   */
  public record Commit(
      String runner, TopicPartition partition, long offset, long sentNanos, boolean succeeded) {}

  /**
   * One record found by the final {@code read_committed} drain.
   *
   * @param partition where it is
   * @param offset its offset
   * @param payload its decoded payload
   */
  public record Logged(TopicPartition partition, long offset, Payload payload) {}

  /**
   * One record found in a dead-letter topic, described by its headers.
   *
   * @param original the partition the record was read from
   * @param offset its offset there
   * @param payload its decoded payload
   * @param attempts the handler calls the runner reported
   */
  public record DeadLetter(TopicPartition original, long offset, Payload payload, int attempts) {}
}
