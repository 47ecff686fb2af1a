package dev.kafkasdk.producer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;

/** Hands out MockProducers and remembers them, to check which one was used, aborted or closed. */
final class MockProducerFactory implements ProducerFactory<String, String> {
  private final Supplier<MockProducer<String, String>> supplier;
  final List<MockProducer<String, String>> created = new ArrayList<>();

  MockProducerFactory(Supplier<MockProducer<String, String>> supplier) {
    this.supplier = supplier;
  }

  @Override
  public synchronized ManagedProducer<String, String> create(
      String transactionalId, String clientId) {
    MockProducer<String, String> producer = supplier.get();
    created.add(producer);
    return new ManagedProducer<>(producer, null, clientId);
  }

  synchronized MockProducer<String, String> last() {
    return created.get(created.size() - 1);
  }
}
