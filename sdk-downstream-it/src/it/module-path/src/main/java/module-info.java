/** A user's application module: only the SDK modules are required, never Kafka directly. */
module com.example.inventory {
  requires dev.kafkasdk.producer;
  requires dev.kafkasdk.consumer;
  requires dev.kafkasdk.topics;
}
