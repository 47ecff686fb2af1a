package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.KafkaSdkListener;
import dev.kafkasdk.spring.KafkaSdkProperties;
import dev.kafkasdk.spring.RunnerProperties;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Builds a runner for every {@link KafkaSdkListener} method of each bean once the bean is
 * initialized, through the same {@link RunnerFactory} as the runners of {@code kafkasdk.runners}
 * (properties, customizers, meters, observations), and registers it with the {@link
 * RunnerRegistrar}, which starts and stops it with the others. The factory and registrar are looked
 * up on first use, when every post-processor is registered, so they are fully processed beans.
 */
public final class ListenerRunnerProcessor
    implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware {
  private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();
  private final Map<String, String> methodsByRunner = new ConcurrentHashMap<>();
  private ConfigurableBeanFactory beanFactory;
  private Environment environment;

  /** Created by the auto-configuration. */
  public ListenerRunnerProcessor() {}

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ConfigurableBeanFactory) beanFactory;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (withoutListeners.contains(type)) {
      return bean;
    }
    boolean any =
        ListenerMethods.forEach(
            type, (method, annotation) -> register(bean, beanName, method, annotation));
    if (!any) {
      withoutListeners.add(type);
    }
    return bean;
  }

  private void register(Object bean, String beanName, Method method, KafkaSdkListener annotation) {
    ListenerMethod listener =
        new ListenerMethod(method, annotation, beanName, environment::resolveRequiredPlaceholders);
    String name = listener.runnerName();
    String earlier = methodsByRunner.putIfAbsent(name, listener.describe());
    if (earlier != null) {
      throw listener.invalid(
          "name",
          "names the runner '" + name + "', which " + earlier + " names too",
          "give each @KafkaSdkListener method its own name");
    }
    RunnerProperties props = listener.applyTo(properties(name));
    RunnerFactory factory = beanFactory.getBean(RunnerFactory.class);
    ConsumerRunner<?, ?> runner;
    try {
      ConsumerRunner.Builder<?, ?> builder = factory.builderFor(name, props);
      listener.handle(builder, bean, AopUtils.selectInvocableMethod(method, bean.getClass()));
      runner = builder.build();
    } catch (SdkConfigException e) {
      throw new ClientConfigurationException(
          "runner '" + name + "' of @KafkaSdkListener " + listener.describe(),
          RunnerFactory.prefix(name),
          e);
    }
    beanFactory.getBean(RunnerRegistrar.class).register(name, runner, props.isAutoStartup());
  }

  /**
   * A fresh copy of {@code kafkasdk.runners.<name>}, bound again so the annotation's values never
   * leak into the shared {@link KafkaSdkProperties}; empty properties if there is no such entry.
   */
  private RunnerProperties properties(String name) {
    RunnerProperties props =
        Binder.get(environment)
            .bind("kafkasdk.runners", Bindable.mapOf(String.class, RunnerProperties.class))
            .orElse(Map.of())
            .get(name);
    return props != null ? props : new RunnerProperties();
  }
}
