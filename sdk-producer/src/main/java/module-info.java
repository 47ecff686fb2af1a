/**
 * Reliable and transactional producers: {@link dev.kafkasdk.producer.ReliableProducer}, {@link
 * dev.kafkasdk.producer.TransactionalProducer}.
 *
 * <p>Kafka, Micrometer and Resilience4j types appear in this module's API (serializers, records,
 * {@code MeterRegistry}, {@code ObservationRegistry}, {@code CircuitBreaker}), so reading this
 * module reads them too.
 */
module dev.kafkasdk.producer {
  requires transitive dev.kafkasdk.core;
  requires transitive kafka.clients;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires org.slf4j;

  exports dev.kafkasdk.producer;
}
