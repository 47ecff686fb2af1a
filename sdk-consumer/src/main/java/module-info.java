/**
 * Consumer runners with commit-after-processing offset tracking: {@link
 * dev.kafkasdk.consumer.ConsumerRunner}.
 *
 * <p>The runner's builder takes Kafka, Micrometer and Resilience4j types ({@code MeterRegistry},
 * {@code ObservationRegistry}, {@code CircuitBreaker}, {@code RateLimiter}, {@code RetryConfig},
 * {@code IntervalFunction}) and a producer builder for exactly-once output, so reading this module
 * reads them too.
 */
module dev.kafkasdk.consumer {
  requires transitive dev.kafkasdk.core;
  requires transitive dev.kafkasdk.producer;
  requires transitive kafka.clients;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires transitive io.github.resilience4j.core;
  requires transitive io.github.resilience4j.retry;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive io.github.resilience4j.ratelimiter;
  requires micrometer.commons;
  requires org.slf4j;

  exports dev.kafkasdk.consumer;
}
