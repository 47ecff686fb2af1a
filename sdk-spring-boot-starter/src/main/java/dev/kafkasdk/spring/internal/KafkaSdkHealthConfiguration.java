package dev.kafkasdk.spring.internal;

import dev.kafkasdk.spring.KafkaSdkRunners;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bean of {@code KafkaSdkHealthAutoConfiguration}, kept apart so that the public
 * auto-configuration class names no type of Spring Boot's optional health module in its signatures
 * (it can then be inspected without that module on the class path).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaSdkHealthConfiguration {

  /** Created by Spring. */
  public KafkaSdkHealthConfiguration() {}

  /**
   * The contributor, named {@code kafkaSdk} in the health endpoint.
   *
   * @param runners the runners' registry
   * @param beans where the producer beans are found, at each health request
   * @return the contributor
   */
  @Bean
  @ConditionalOnMissingBean(name = "kafkaSdkHealthContributor")
  HealthContributor kafkaSdkHealthContributor(KafkaSdkRunners runners, ListableBeanFactory beans) {
    return new KafkaSdkHealthContributor(runners, beans);
  }
}
