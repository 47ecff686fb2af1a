package dev.kafkasdk.spring.internal;

import java.util.List;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.util.ClassUtils;

/**
 * Points the application of a Spring test that is also a {@code @KafkaTest} at the test's cluster:
 * registered in {@code META-INF/spring.factories}, so Spring's test context (present only with
 * spring-test) asks it for every test class; it answers only when the SDK's test kit is on the
 * class path and the class has {@code @KafkaTest}. See {@link KafkaTestContextCustomizer}.
 */
public final class KafkaTestContextCustomizerFactory implements ContextCustomizerFactory {
  private static final String KAFKA_TEST = "dev.kafkasdk.test.KafkaTest";
  private static final boolean TEST_KIT_PRESENT =
      ClassUtils.isPresent(KAFKA_TEST, KafkaTestContextCustomizerFactory.class.getClassLoader());

  /** Created by Spring's test context. */
  public KafkaTestContextCustomizerFactory() {}

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (!TEST_KIT_PRESENT || !AnnotatedElementUtils.hasAnnotation(testClass, kafkaTest())) {
      return null;
    }
    return KafkaTestContextCustomizer.forTestClass(testClass);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends java.lang.annotation.Annotation> kafkaTest() {
    return (Class<? extends java.lang.annotation.Annotation>)
        ClassUtils.resolveClassName(
            KAFKA_TEST, KafkaTestContextCustomizerFactory.class.getClassLoader());
  }
}
