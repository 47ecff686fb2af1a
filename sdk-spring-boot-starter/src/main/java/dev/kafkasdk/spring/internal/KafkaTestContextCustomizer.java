package dev.kafkasdk.spring.internal;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaClusterExtension;
import dev.kafkasdk.test.KafkaTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Adds {@code kafkasdk.bootstrap-servers} of the {@code @KafkaTest} cluster, and on a secured
 * cluster the test kit's super-user client settings as {@code kafkasdk.properties.*}, to the
 * application's environment: above {@code application.yml} and the other application sources, below
 * the test's own inline properties ({@code @SpringBootTest(properties = ...)},
 * {@code @TestPropertySource}), which may override them.
 *
 * <p>The cluster is the one {@link KafkaClusterExtension#clusterFor(Class)} hands out: the same
 * instance the test methods receive, never a second one. Two test classes whose {@code @KafkaTest}
 * are equal share the cluster, so their customizers are equal and Spring may share their cached
 * context.
 */
final class KafkaTestContextCustomizer implements ContextCustomizer {
  /** The property source's name, as shown in the environment's sources. */
  static final String SOURCE = "kafkasdk-test-cluster";

  private static final String INLINED_TEST_PROPERTIES = "Inlined Test Properties";

  private final Class<?> testClass;
  private final KafkaTest settings;

  private KafkaTestContextCustomizer(Class<?> testClass, KafkaTest settings) {
    this.testClass = testClass;
    this.settings = settings;
  }

  static KafkaTestContextCustomizer forTestClass(Class<?> testClass) {
    return new KafkaTestContextCustomizer(
        testClass, AnnotatedElementUtils.findMergedAnnotation(testClass, KafkaTest.class));
  }

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    KafkaCluster cluster = KafkaClusterExtension.clusterFor(testClass);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("kafkasdk.bootstrap-servers", cluster.bootstrapServers());
    cluster
        .adminProperties()
        .forEach(
            (key, value) -> {
              if (!CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG.equals(key)) {
                // Brackets keep the Kafka key whole (its dots are not nesting).
                properties.put("kafkasdk.properties[" + key + "]", String.valueOf(value));
              }
            });
    MutablePropertySources sources = context.getEnvironment().getPropertySources();
    MapPropertySource source = new MapPropertySource(SOURCE, properties);
    if (sources.contains(INLINED_TEST_PROPERTIES)) {
      sources.addAfter(INLINED_TEST_PROPERTIES, source);
    } else {
      sources.addFirst(source);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaTestContextCustomizer customizer
        && settings.equals(customizer.settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }
}
