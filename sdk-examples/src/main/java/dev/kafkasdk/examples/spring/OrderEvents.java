package dev.kafkasdk.examples.spring;

import dev.kafkasdk.spring.KafkaSdkListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/**
 * The annotated handler of the example: each record is an order's next status, keyed by order id.
 * Key ordering runs different orders in parallel and each order's statuses one at a time, in the
 * order they were written, so {@link #statuses(String)} is always a prefix of what was sent.
 * Placeholders and the properties of {@code kafkasdk.runners.order-events} fill in what the
 * annotation leaves out (the group id here).
 */
@Component
public class OrderEvents {
  private final Map<String, List<String>> statusesByOrder = new ConcurrentHashMap<>();

  /** Created by Spring. */
  public OrderEvents() {}

  /**
   * Applies an order's next status. Throwing here retries the record (3 attempts), then sends it to
   * {@code <topic>.DLT}.
   *
   * @param record key: the order id; value: its new status
   */
  @KafkaSdkListener(
      name = "order-events",
      topics = "${examples.orders-topic}",
      workers = "4",
      ordering = "key",
      maxAttempts = "3",
      failureAction = "dead-letter")
  public void on(ConsumerRecord<String, String> record) {
    if (record.value().isBlank()) {
      throw new IllegalArgumentException("order " + record.key() + " has a blank status");
    }
    statusesByOrder
        .computeIfAbsent(record.key(), id -> new CopyOnWriteArrayList<>())
        .add(record.value());
  }

  /**
   * Returns the statuses applied to an order, in the order they were applied.
   *
   * @param orderId the order id
   * @return a snapshot, empty for an unknown order
   */
  public List<String> statuses(String orderId) {
    return List.copyOf(statusesByOrder.getOrDefault(orderId, List.of()));
  }
}
