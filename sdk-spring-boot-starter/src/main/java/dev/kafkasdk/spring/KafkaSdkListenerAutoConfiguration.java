package dev.kafkasdk.spring;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.spring.internal.ListenerRunnerDefinitions;
import dev.kafkasdk.spring.internal.ListenerRunnerProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Turns {@link KafkaSdkListener} methods into runners: a post-processor builds one per method with
 * the runner factory of {@link KafkaSdkAutoConfiguration} and registers it in {@link
 * KafkaSdkRunners}. Exclude it by name to ignore the annotation.
 */
@AutoConfiguration(after = KafkaSdkAutoConfiguration.class)
@ConditionalOnClass(ConsumerRunner.class)
public class KafkaSdkListenerAutoConfiguration {

  /** Created by Spring Boot. */
  public KafkaSdkListenerAutoConfiguration() {}

  /**
   * Builds and registers the annotated methods' runners. Static: a post-processor is created before
   * other beans.
   *
   * @return the post-processor
   */
  @Bean
  static ListenerRunnerProcessor kafkaSdkListenerRunnerProcessor() {
    return new ListenerRunnerProcessor();
  }

  /**
   * Keeps a {@code kafkasdk.runners} entry of an annotated method's runner from also declaring a
   * runner of its own.
   *
   * @return the factory post-processor
   */
  @Bean
  static ListenerRunnerDefinitions kafkaSdkListenerRunnerDefinitions() {
    return new ListenerRunnerDefinitions();
  }
}
