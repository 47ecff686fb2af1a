package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducerPool;
import dev.kafkasdk.spring.KafkaSdkProperties;
import dev.kafkasdk.spring.ProducerProperties;
import dev.kafkasdk.spring.RunnerProperties;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean per configured producer (named like it) and per configured runner (named {@code
 * <runner>Runner}). Only the names and the producer modes are read here, while the context is still
 * being defined; each bean is built later from the bound {@link KafkaSdkProperties}, so an invalid
 * value fails in its bean's creation with the SDK's message.
 */
public final class ClientBeanRegistrar
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
  /** The suffix of a runner bean's name. */
  public static final String RUNNER_BEAN_SUFFIX = "Runner";

  private Environment environment;
  private BeanFactory beanFactory;

  /** Created by Spring when the auto-configuration imports it. */
  public ClientBeanRegistrar() {}

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Binder binder = Binder.get(environment);
    Map<String, ProducerProperties> producers =
        binder
            .bind("kafkasdk.producers", Bindable.mapOf(String.class, ProducerProperties.class))
            .orElse(Map.of());
    producers.forEach(
        (name, props) -> {
          RootBeanDefinition definition =
              props.getMode() == ProducerProperties.Mode.TRANSACTIONAL
                  ? new RootBeanDefinition(
                      TransactionalProducerPool.class,
                      () -> (TransactionalProducerPool<?, ?>) producer(name))
                  : new RootBeanDefinition(
                      ReliableProducer.class, () -> (ReliableProducer<?, ?>) producer(name));
          definition.setLazyInit(false);
          registry.registerBeanDefinition(name, definition);
        });
    Map<String, RunnerProperties> runners =
        binder
            .bind("kafkasdk.runners", Bindable.mapOf(String.class, RunnerProperties.class))
            .orElse(Map.of());
    runners.forEach(
        (name, props) -> {
          RootBeanDefinition definition =
              new RootBeanDefinition(ConsumerRunner.class, () -> runner(name));
          definition.setLazyInit(false);
          registry.registerBeanDefinition(name + RUNNER_BEAN_SUFFIX, definition);
        });
  }

  private AutoCloseable producer(String name) {
    return beanFactory.getBean(ProducerFactory.class).create(name);
  }

  private ConsumerRunner<?, ?> runner(String name) {
    if (!beanFactory.containsBean(name)) {
      throw new ClientConfigurationException(
          "runner '" + name + "'",
          RunnerFactory.prefix(name),
          new SdkConfigException(
              RunnerFactory.prefix(name),
              "no bean is named '" + name + "', the runner's handler",
              "declare a RecordHandler or BatchHandler bean named '"
                  + name
                  + "', or rename the runner after its handler bean"));
    }
    Object handler = beanFactory.getBean(name);
    ConsumerRunner<?, ?> runner = beanFactory.getBean(RunnerFactory.class).create(name, handler);
    beanFactory
        .getBean(RunnerRegistrar.class)
        .register(
            name,
            runner,
            beanFactory.getBean(KafkaSdkProperties.class).getRunners().get(name).isAutoStartup());
    return runner;
  }
}
