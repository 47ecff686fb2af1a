package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps a {@code kafkasdk.runners.<name>} entry that configures an annotated method's runner from
 * becoming a properties-declared runner too: it removes the {@code <name>Runner} bean definition
 * {@link ClientBeanRegistrar} made for it, which would look for a handler bean named {@code
 * <name>}. Runs after every bean is defined, over the types the bean factory predicts without
 * creating anything; a bean whose type cannot be predicted (a factory method declared to return
 * {@code Object}) is not seen here, and its runner then clashes with the properties-declared one at
 * start-up, with a message naming the runner.
 */
public final class ListenerRunnerDefinitions implements BeanFactoryPostProcessor, EnvironmentAware {
  private Environment environment;

  /** Created by the auto-configuration. */
  public ListenerRunnerDefinitions() {}

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory)
      throws BeansException {
    if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
      return;
    }
    Set<String> claimed = new LinkedHashSet<>();
    for (String beanName : beanFactory.getBeanDefinitionNames()) {
      Class<?> type = beanFactory.getType(beanName, false);
      if (type != null) {
        ListenerMethods.forEach(
            type,
            (method, annotation) ->
                claimed.add(
                    annotation.name().isEmpty()
                        ? beanName + "-" + method.getName()
                        : environment.resolvePlaceholders(annotation.name()).trim()));
      }
    }
    for (String name : claimed) {
      String runnerBean = name + ClientBeanRegistrar.RUNNER_BEAN_SUFFIX;
      if (registry.containsBeanDefinition(runnerBean)
          && ConsumerRunner.class
              .getName()
              .equals(registry.getBeanDefinition(runnerBean).getBeanClassName())) {
        registry.removeBeanDefinition(runnerBean);
      }
    }
  }
}
