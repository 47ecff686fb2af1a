package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.RecordHandler;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
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

  private HandlerInvoker(RecordHandler<K, V> recordHandler, BatchHandler<K, V> batchHandler) {
    this.recordHandler = recordHandler;
    this.batchHandler = batchHandler;
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
    return new HandlerInvoker<>(Objects.requireNonNull(handler, "handler"), null);
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
    return new HandlerInvoker<>(null, Objects.requireNonNull(handler, "handler"));
  }

  /** Whether the handler takes one record per call. */
  boolean perRecord() {
    return recordHandler != null;
  }

  /** Calls the record handler; only for {@link #perRecord()} invokers. */
  void handle(ConsumerRecord<K, V> record) throws Exception {
    recordHandler.handle(record);
  }

  /** Calls the batch handler with a read-only view; only for batch invokers. */
  void handleBatch(List<ConsumerRecord<K, V>> records) throws Exception {
    batchHandler.handle(Collections.unmodifiableList(records));
  }
}
