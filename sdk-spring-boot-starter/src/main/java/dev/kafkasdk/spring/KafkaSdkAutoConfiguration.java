package dev.kafkasdk.spring;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.spring.internal.ClientBeanRegistrar;
import dev.kafkasdk.spring.internal.ProducerFactory;
import dev.kafkasdk.spring.internal.RunnerFactory;
import dev.kafkasdk.spring.internal.RunnerRegistrar;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the SDK's producers and runners from {@link KafkaSdkProperties}: a bean per
 * named producer ({@code ReliableProducer} or {@code TransactionalProducerPool}, named like the
 * producer), a {@code ConsumerRunner} bean per named runner (named {@code <runner>Runner}, its
 * handler the bean named like the runner), and the {@link KafkaSdkRunners} registry that starts and
 * stops the runners. The application's {@code MeterRegistry} and {@code ObservationRegistry} beans,
 * when there is exactly one of each, are given to every client; {@link ProducerBuilderCustomizer}
 * and {@link RunnerBuilderCustomizer} beans run before each {@code build()}. Exclude it by name to
 * configure everything yourself.
 */
@AutoConfiguration
@ConditionalOnClass(ConsumerRunner.class)
@EnableConfigurationProperties(KafkaSdkProperties.class)
@Import(ClientBeanRegistrar.class)
public class KafkaSdkAutoConfiguration {

  /** Created by Spring Boot. */
  public KafkaSdkAutoConfiguration() {}

  /**
   * The properties-to-builder mapping of producers.
   *
   * @param properties the bound properties
   * @param customizers the customizer beans, in order
   * @param meters the application's meter registry, if unique
   * @param observations the application's observation registry, if unique
   * @return the factory
   */
  @Bean
  ProducerFactory kafkaSdkProducerFactory(
      KafkaSdkProperties properties,
      ObjectProvider<ProducerBuilderCustomizer> customizers,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<ObservationRegistry> observations) {
    return new ProducerFactory(
        properties,
        customizers.orderedStream().toList(),
        meters.getIfUnique(),
        observations.getIfUnique());
  }

  /**
   * The properties-to-builder mapping of runners.
   *
   * @param properties the bound properties
   * @param customizers the customizer beans, in order
   * @param meters the application's meter registry, if unique
   * @param observations the application's observation registry, if unique
   * @return the factory
   */
  @Bean
  RunnerFactory kafkaSdkRunnerFactory(
      KafkaSdkProperties properties,
      ObjectProvider<RunnerBuilderCustomizer> customizers,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<ObservationRegistry> observations) {
    return new RunnerFactory(
        properties,
        customizers.orderedStream().toList(),
        meters.getIfUnique(),
        observations.getIfUnique());
  }

  /**
   * The runners' registry and lifecycle.
   *
   * @return the registry
   */
  @Bean
  RunnerRegistrar kafkaSdkRunners() {
    return new RunnerRegistrar();
  }
}
