package dev.kafkasdk.spring;

import dev.kafkasdk.producer.ProducerBuilder;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Changes the builder of a producer the starter creates, after the {@code kafkasdk.*} properties
 * were applied and before {@code build()}, for what properties cannot express: a shared circuit
 * breaker, a serializer instance, any builder method. Declare it as a bean; every customizer is
 * called for every producer, in {@code @Order}, with the producer's name ({@code
 * kafkasdk.producers} key, or {@code kafkaSdkProducer} for the default producer), so a customizer
 * for one producer checks the name.
 *
 * <pre>{@code
 * @Bean
 * ProducerBuilderCustomizer eventsBreaker(CircuitBreaker breaker) {
 *   return (name, builder) -> {
 *     if (name.equals("events")) {
 *       builder.circuitBreaker(breaker);
 *     }
 *   };
 * }
 * }</pre>
 *
 * <p>A transactional producer's builder is a {@code TransactionalProducer.Builder}, an idempotent
 * one's a {@code ReliableProducer.Builder}. What the builder's {@code build()} rejects fails the
 * application's start like an invalid property.
 */
@FunctionalInterface
public interface ProducerBuilderCustomizer {

  /**
   * Changes the builder of the named producer.
   *
   * @param name the producer's name
   * @param builder its builder, properties applied, not yet built
   */
  void customize(String name, ProducerBuilder<?, ?, ?> builder);

  /**
   * Supplies the key serializer of the named producer in place of the {@code key-serializer}
   * property; the first customizer that returns one wins. The instance is used as it is ({@code
   * configure} is not called) and closed with the producer.
   *
   * @param name the producer's name
   * @return a serializer, or empty (the default) to keep the property's
   */
  default Optional<Serializer<?>> keySerializer(String name) {
    return Optional.empty();
  }

  /**
   * Supplies the value serializer of the named producer; see {@link #keySerializer(String)}.
   *
   * @param name the producer's name
   * @return a serializer, or empty (the default) to keep the property's
   */
  default Optional<Serializer<?>> valueSerializer(String name) {
    return Optional.empty();
  }
}
