package dev.kafkasdk.examples.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Books payments per order; the stand-in for the database the {@code payments} runner writes. */
@Component
public class PaymentLedger {
  private final Map<String, Long> centsByOrder = new ConcurrentHashMap<>();

  /** Created by Spring. */
  public PaymentLedger() {}

  /**
   * Books a payment.
   *
   * @param orderId the order id
   * @param cents the amount in cents, as text
   * @throws NumberFormatException if {@code cents} is not a number (the runner then stops, the
   *     default failure action of {@code payments})
   */
  public void book(String orderId, String cents) {
    centsByOrder.merge(orderId, Long.parseLong(cents), Long::sum);
  }

  /**
   * Returns what was booked for an order.
   *
   * @param orderId the order id
   * @return the sum in cents, 0 if none
   */
  public long paid(String orderId) {
    return centsByOrder.getOrDefault(orderId, 0L);
  }
}
