package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.RecordHandler;
import java.util.Objects;

/**
 * How a runner processes records, chosen once by the builder: it decides which loop runs and which
 * settings exist. Record and batch handling run {@link PollLoop}s that hand records to a {@link
 * HandlerInvoker}; exactly-once runs {@link TransactionalLoop}s.
 *
 * @param <K> key type
 * @param <V> value type
 */
public sealed interface ProcessingMode<K, V>
    permits ProcessingMode.RecordHandling, ProcessingMode.BatchHandling, ExactlyOnceSettings {

  /**
   * A {@link RecordHandler}, called once per record.
   *
   * @param handler the handler
   * @param <K> key type
   * @param <V> value type
   */
  record RecordHandling<K, V>(RecordHandler<K, V> handler) implements ProcessingMode<K, V> {
    /**
     * Checks the handler.
     *
     * @param handler the handler
     */
    public RecordHandling {
      Objects.requireNonNull(handler, "handler");
    }
  }

  /**
   * A {@link BatchHandler}, called with up to {@code batchSize} records.
   *
   * @param handler the handler
   * @param batchSize the most records per call, at least 1
   * @param <K> key type
   * @param <V> value type
   */
  record BatchHandling<K, V>(BatchHandler<K, V> handler, int batchSize)
      implements ProcessingMode<K, V> {
    /**
     * Checks the handler and the size.
     *
     * @param handler the handler
     * @param batchSize the most records per call, at least 1
     */
    public BatchHandling {
      Objects.requireNonNull(handler, "handler");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
      }
    }
  }
}
