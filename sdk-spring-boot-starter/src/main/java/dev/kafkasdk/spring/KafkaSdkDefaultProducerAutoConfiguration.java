package dev.kafkasdk.spring;

import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.spring.internal.ProducerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The default producer: a {@code ReliableProducer<String, String>} bean named {@code
 * kafkaSdkProducer} (idempotent, the shared {@code kafkasdk.*} properties only) when {@code
 * kafkasdk.bootstrap-servers} is set and the context has no {@code ReliableProducer} bean (a named
 * idempotent producer, or one of the application's own). A separate auto-configuration, after
 * {@link KafkaSdkAutoConfiguration}, so that the named producers are defined when its condition is
 * checked.
 */
@AutoConfiguration(after = KafkaSdkAutoConfiguration.class)
@ConditionalOnProperty(prefix = "kafkasdk", name = "bootstrap-servers")
public class KafkaSdkDefaultProducerAutoConfiguration {

  /** Created by Spring Boot. */
  public KafkaSdkDefaultProducerAutoConfiguration() {}

  /**
   * The default producer, closed (pending sends completed) when the context closes.
   *
   * @param factory the producers' factory
   * @return the producer
   */
  @Bean
  @ConditionalOnMissingBean(ReliableProducer.class)
  ReliableProducer<String, String> kafkaSdkProducer(ProducerFactory factory) {
    return factory.createDefault();
  }
}
