package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.RecordHandler;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The application's handler: either a {@link RecordHandler}, called once per record, or a {@link
 * BatchHandler}, called once per unit of work.
 *
 * <p>The difference matters to the dispatcher: a unit of work for a record handler may hold several
 * records (fewer hand-offs between threads for cheap handlers), but each record is still its own
 * call, its own attempt and its own failure, so a failing record never makes the records before it
 * run twice.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HandlerInvoker<K, V> {
  private final RecordHandler<K, V> recordHandler;
  private final BatchHandler<K, V> batchHandler;
  // Null when the runner adds nothing around a call: then a call costs one null check more.
  private final CallTelemetry telemetry;
  // Null without retry topics: then the handler sees the polled record itself.
  private final RetryChain chain;

  private HandlerInvoker(
      RecordHandler<K, V> recordHandler,
      BatchHandler<K, V> batchHandler,
      CallTelemetry telemetry,
      RetryChain chain) {
    this.recordHandler = recordHandler;
    this.batchHandler = batchHandler;
    this.telemetry = telemetry;
    this.chain = chain;
  }

  /**
   * Returns an invoker that shows the handler a record of a retry topic as the main topic's record
   * it stands for: topic, partition, offset and timestamp of the original (key, value and headers
   * as read), so a handler never needs to know the retry topics' names.
   *
   * @param retryChain the runner's retry topics, or null for none
   */
  HandlerInvoker<K, V> viewing(RetryChain retryChain) {
    return retryChain == null
        ? this
        : new HandlerInvoker<>(recordHandler, batchHandler, telemetry, retryChain);
  }

  /** The record as the handler sees it. */
  private ConsumerRecord<K, V> view(ConsumerRecord<K, V> record) {
    RetriedRecord origin = chain == null ? null : RetriedRecord.of(record, chain);
    if (origin == null) {
      return record;
    }
    return new ConsumerRecord<>(
        origin.topic(),
        origin.partition(),
        origin.offset(),
        origin.timestamp(),
        record.timestampType(),
        record.serializedKeySize(),
        record.serializedValueSize(),
        record.key(),
        record.value(),
        record.headers(),
        Optional.empty());
  }

  private List<ConsumerRecord<K, V>> view(List<ConsumerRecord<K, V>> records) {
    if (chain == null || records.isEmpty() || !chain.isRetryTopic(records.get(0).topic())) {
      return Collections.unmodifiableList(records);
    }
    List<ConsumerRecord<K, V>> viewed = new ArrayList<>(records.size());
    for (ConsumerRecord<K, V> record : records) {
      viewed.add(view(record));
    }
    return Collections.unmodifiableList(viewed);
  }

  /**
   * Wraps a record handler.
   *
   * @param handler the handler
   * @param <K> key type
   * @param <V> value type
   * @return the invoker
   * @throws NullPointerException if the handler is null
   */
  public static <K, V> HandlerInvoker<K, V> of(RecordHandler<K, V> handler) {
    return of(handler, null);
  }

  /**
   * Wraps a record handler, each call inside its observation and MDC entries.
   *
   * @param handler the handler
   * @param telemetry what to add around each call, or null for nothing
   */
  static <K, V> HandlerInvoker<K, V> of(RecordHandler<K, V> handler, CallTelemetry telemetry) {
    return new HandlerInvoker<>(Objects.requireNonNull(handler, "handler"), null, telemetry, null);
  }

  /**
   * Wraps a batch handler.
   *
   * @param handler the handler
   * @param <K> key type
   * @param <V> value type
   * @return the invoker
   * @throws NullPointerException if the handler is null
   */
  public static <K, V> HandlerInvoker<K, V> ofBatch(BatchHandler<K, V> handler) {
    return ofBatch(handler, null);
  }

  /**
   * Wraps a batch handler, each call inside its observation and MDC entries.
   *
   * @param handler the handler
   * @param telemetry what to add around each call, or null for nothing
   */
  static <K, V> HandlerInvoker<K, V> ofBatch(BatchHandler<K, V> handler, CallTelemetry telemetry) {
    return new HandlerInvoker<>(null, Objects.requireNonNull(handler, "handler"), telemetry, null);
  }

  /** Whether the handler takes one record per call. */
  boolean perRecord() {
    return recordHandler != null;
  }

  /**
   * Calls the record handler for the work's current record; only for {@link #perRecord()} invokers.
   * A failed observed call is kept in {@link Work#failedCall} for the dead letter.
   */
  void handle(ConsumerRecord<K, V> record, Work<K, V> work) throws Exception {
    if (telemetry == null) {
      recordHandler.handle(view(record));
      return;
    }
    // Attempts count the current record's failed calls so far (reset when it succeeds).
    handle(record, work.attempts + 1, failed -> work.failedCall = failed);
  }

  /**
   * Calls the record handler for one record, as attempt number {@code attempt}; only for {@link
   * #perRecord()} invokers.
   *
   * @param failedCall given the failed call's observation (null when not observed) if it throws
   */
  void handle(ConsumerRecord<K, V> record, int attempt, Consumer<Observation> failedCall)
      throws Exception {
    if (telemetry == null) {
      recordHandler.handle(view(record));
      return;
    }
    CallTelemetry.Call call = telemetry.openRecord(record, attempt);
    try {
      recordHandler.handle(view(record));
    } catch (Throwable error) {
      failedCall.accept(call.failed(error));
      throw error;
    } finally {
      call.close();
    }
  }

  /** Calls the batch handler with a read-only view of the work; only for batch invokers. */
  void handleBatch(Work<K, V> work) throws Exception {
    List<ConsumerRecord<K, V>> records = work.records();
    if (telemetry == null) {
      batchHandler.handle(view(records));
      return;
    }
    CallTelemetry.Call call =
        telemetry.openBatch(
            records.get(0), records.get(records.size() - 1), records.size(), work.attempts + 1);
    try {
      batchHandler.handle(view(records));
    } catch (Throwable error) {
      work.failedCall = call.failed(error);
      throw error;
    } finally {
      call.close();
    }
  }
}
