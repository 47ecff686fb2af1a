package com.example.shipping;

import dev.kafkasdk.spring.KafkaSdkListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/** Records every shipment event in the order it was handled, per shipment (the record key). */
@Component
public class ShipmentEvents {
  private final Map<String, List<String>> handled = new ConcurrentHashMap<>();

  @KafkaSdkListener(
      name = "shipment-events",
      topics = "${shipping.topic}",
      groupId = "shipping-service",
      ordering = "key",
      workers = "4")
  void on(ConsumerRecord<String, String> record) {
    handled.computeIfAbsent(record.key(), key -> new CopyOnWriteArrayList<>()).add(record.value());
  }

  /** The values handled for each key, in handling order. */
  public Map<String, List<String>> handled() {
    return handled;
  }
}
