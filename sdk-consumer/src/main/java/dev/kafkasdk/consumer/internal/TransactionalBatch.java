package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.CommittedProgress;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Output;
import dev.kafkasdk.consumer.TransformHandler;
import dev.kafkasdk.producer.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The body of one exactly-once transaction: transforms the records of a poll batch in order and
 * stops at the first record whose handler call fails (or that cannot be deserialized). Each call's
 * output is held back until the call returns, so a failing call leaves nothing in the transaction;
 * the transaction then holds exactly the output of the records before the failing one, and the
 * offsets sent with it point at the failing record. Committing it costs the failure nothing but the
 * failing call itself: only that record has to be tried again.
 *
 * <p>Not thread-safe; one instance per transaction, used on the consumer thread.
 *
 * @param <K> input key type
 * @param <V> input value type
 * @param <OK> output key type
 * @param <OV> output value type
 */
final class TransactionalBatch<K, V, OK, OV> {
  private final ConsumerRecords<byte[], byte[]> records;
  private final RecordDecoder<K, V> decoder;
  private final TransformHandler<K, V, OK, OV> handler;
  private final Supplier<ConsumerGroupMetadata> group;
  private final CallTelemetry telemetry;
  // Per partition, the offset after the last record whose call succeeded.
  private final Map<TopicPartition, Long> handledUpTo = new HashMap<>();
  private int handled;
  private ConsumerRecord<byte[], byte[]> failed;
  private Exception failure;

  TransactionalBatch(
      ConsumerRecords<byte[], byte[]> records,
      RecordDecoder<K, V> decoder,
      TransformHandler<K, V, OK, OV> handler,
      Supplier<ConsumerGroupMetadata> group,
      CallTelemetry telemetry) {
    this.records = records;
    this.decoder = decoder;
    this.handler = handler;
    this.group = group;
    this.telemetry = telemetry;
  }

  /**
   * Runs the batch in the transaction, up to the first failing record.
   *
   * @param tx the open transaction
   * @throws HandlerFailedException if the handler was interrupted: not the record's failure, so the
   *     transaction is aborted
   */
  void run(Transaction<OK, OV> tx) {
    handledUpTo.clear();
    handled = 0;
    failed = null;
    failure = null;
    for (ConsumerRecord<byte[], byte[]> raw : records) {
      RecordDecoder.Decoded<K, V> decoded = decoder.decode(raw);
      Exception error = decoded.failure();
      if (error == null) {
        error = call(decoded.record(), raw, tx);
      }
      if (error != null) {
        failed = raw;
        failure = error;
        break;
      }
      handledUpTo.put(partition(raw), raw.offset() + 1);
      handled++;
    }
    if (!handledUpTo.isEmpty()) {
      tx.sendOffsets(offsets(), group.get());
    }
  }

  /** Returns the number of records whose call succeeded in the last run. */
  int handled() {
    return handled;
  }

  /** Returns the record whose call failed, or null if every record succeeded. */
  ConsumerRecord<byte[], byte[]> failed() {
    return failed;
  }

  /** Returns what the failed record's call threw (or its deserialization failure), or null. */
  Exception failure() {
    return failure;
  }

  /**
   * Returns where the partition's next unprocessed record is after the last run: after the batch if
   * every record of the partition succeeded, else the first record not handled.
   *
   * @param partition a partition of the batch
   * @return the offset to resume from, or -1 if every record of the partition was handled
   */
  long resumeAt(TopicPartition partition) {
    List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
    Long next = handledUpTo.get(partition);
    if (next == null) {
      return list.get(0).offset();
    }
    return next > list.get(list.size() - 1).offset() ? -1 : next;
  }

  /**
   * Tells whether the record's call succeeded in the last run.
   *
   * @param partition its partition
   * @param offset its offset
   * @return true if handled (and so part of the transaction)
   */
  boolean wasHandled(TopicPartition partition, long offset) {
    Long next = handledUpTo.get(partition);
    return next != null && offset < next;
  }

  /**
   * Calls the handler for one record and, if it succeeds, sends its output into the transaction;
   * with telemetry both happen inside the call's observation and MDC entries, so a traced
   * producer's sends of the output are children of the call's process span.
   *
   * @return what the call threw, or null
   */
  private Exception call(
      ConsumerRecord<K, V> record, ConsumerRecord<byte[], byte[]> raw, Transaction<OK, OV> tx) {
    if (telemetry == null) {
      return transformAndSend(record, raw, tx);
    }
    CallTelemetry.Call call = telemetry.openRecord(record, 0);
    try {
      Exception error = transformAndSend(record, raw, tx);
      if (error != null) {
        call.failed(error);
      }
      return error;
    } catch (RuntimeException e) {
      call.failed(e);
      throw e;
    } finally {
      call.close();
    }
  }

  private Exception transformAndSend(
      ConsumerRecord<K, V> record, ConsumerRecord<byte[], byte[]> raw, Transaction<OK, OV> tx) {
    CallOutput output = new CallOutput();
    try {
      handler.handle(record, output);
    } catch (InterruptedException e) {
      throw new HandlerFailedException(partition(raw), raw.offset(), e);
    } catch (Exception e) {
      return e;
    } finally {
      output.close();
    }
    for (ProducerRecord<OK, OV> out : output.records()) {
      tx.send(out);
    }
    return null;
  }

  private Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    handledUpTo.forEach(
        (partition, next) -> {
          // A partition done to its end resumes at the batch's next offset, which may lie past
          // transaction markers after the last record.
          OffsetAndMetadata after =
              resumeAt(partition) < 0 ? records.nextOffsets().get(partition) : null;
          offsets.put(
              partition,
              after != null
                  ? new OffsetAndMetadata(
                      after.offset(), after.leaderEpoch(), progress(partition, after.offset()))
                  : new OffsetAndMetadata(next, progress(partition, next)));
        });
    return offsets;
  }

  /**
   * The commit's {@link CommittedProgress}: records are handled one after the other, so nothing
   * past the committed offset is done; the batch's records from it on are in flight (they come
   * again after a failure).
   */
  private String progress(TopicPartition partition, long committedOffset) {
    List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
    long highest = polled.isEmpty() ? -1 : polled.get(polled.size() - 1).offset();
    long pending = polled.stream().filter(r -> r.offset() >= committedOffset).count();
    return new CommittedProgress(0, pending, highest).encode();
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** The handler's view of the transaction for one call; refuses sends once the call is over. */
  private final class CallOutput implements Output<OK, OV> {
    private final List<ProducerRecord<OK, OV>> sent = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void send(ProducerRecord<OK, OV> record) {
      Objects.requireNonNull(record, "record");
      if (closed) {
        throw new IllegalStateException("the handler call this Output belongs to is over");
      }
      sent.add(record);
    }

    synchronized void close() {
      closed = true;
    }

    synchronized List<ProducerRecord<OK, OV>> records() {
      return List.copyOf(sent);
    }
  }
}
