package dev.kafkasdk.spring;

import dev.kafkasdk.consumer.ConsumerRunner;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Changes the builder of a runner the starter creates, after the {@code kafkasdk.runners.<name>}
 * properties were applied and before the handler is set and {@code build()} runs: a shared circuit
 * breaker or rate limiter, exactly-once settings, any builder method. Declare it as a bean; every
 * customizer is called for every runner, in {@code @Order}, with the runner's name, so a customizer
 * for one runner checks the name.
 *
 * <pre>{@code
 * @Bean
 * RunnerBuilderCustomizer ordersRetry() {
 *   return (name, builder) -> {
 *     if (name.equals("orders")) {
 *       builder.retry(RetryPolicy.builder().nonRetryable(InvalidOrder.class).build());
 *     }
 *   };
 * }
 * }</pre>
 *
 * <p>What the builder's {@code build()} rejects fails the application's start like an invalid
 * property.
 */
@FunctionalInterface
public interface RunnerBuilderCustomizer {

  /**
   * Changes the builder of the named runner.
   *
   * @param name the runner's name
   * @param builder its builder, properties applied, handler not yet set
   */
  void customize(String name, ConsumerRunner.Builder<?, ?> builder);

  /**
   * Supplies the key deserializer of the named runner in place of the {@code key-deserializer}
   * property; the first customizer that returns one wins. The instance is used as it is ({@code
   * configure} is not called) and must be thread-safe with thread-per-partition.
   *
   * @param name the runner's name
   * @return a deserializer, or empty (the default) to keep the property's
   */
  default Optional<Deserializer<?>> keyDeserializer(String name) {
    return Optional.empty();
  }

  /**
   * Supplies the value deserializer of the named runner; see {@link #keyDeserializer(String)}.
   *
   * @param name the runner's name
   * @return a deserializer, or empty (the default) to keep the property's
   */
  default Optional<Deserializer<?>> valueDeserializer(String name) {
    return Optional.empty();
  }
}
