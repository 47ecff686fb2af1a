package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.spring.KafkaSdkRunners;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The {@code kafkaSdk} composite: {@code runners} with a {@link RunnerHealthIndicator} per
 * registered runner and {@code producers} with a {@link ProducerHealthIndicator} per {@link
 * ReliableProducer} bean. Both are read at each request, so runners registered after the
 * contributor was created (annotated methods) and every producer bean appear.
 */
public final class KafkaSdkHealthContributor implements CompositeHealthContributor {
  private static final String RUNNERS = "runners";
  private static final String PRODUCERS = "producers";

  private final KafkaSdkRunners runners;
  private final ListableBeanFactory beans;

  /**
   * Creates the contributor.
   *
   * @param runners the registry of runners
   * @param beans the bean factory holding the producer beans
   */
  public KafkaSdkHealthContributor(KafkaSdkRunners runners, ListableBeanFactory beans) {
    this.runners = runners;
    this.beans = beans;
  }

  @Override
  public HealthContributor getContributor(String name) {
    return switch (name) {
      case RUNNERS -> runnerContributors();
      case PRODUCERS -> producerContributors();
      default -> null;
    };
  }

  @Override
  public Stream<Entry> stream() {
    return Stream.of(
        new Entry(RUNNERS, runnerContributors()), new Entry(PRODUCERS, producerContributors()));
  }

  private CompositeHealthContributor runnerContributors() {
    Map<String, HealthContributor> byName = new LinkedHashMap<>();
    for (String name : runners.names()) {
      Optional<ConsumerRunner<?, ?>> runner = runners.runner(name);
      runner.ifPresent(r -> byName.put(name, new RunnerHealthIndicator(r)));
    }
    return CompositeHealthContributor.fromMap(byName);
  }

  private CompositeHealthContributor producerContributors() {
    Map<String, HealthContributor> byName = new LinkedHashMap<>();
    // Singletons only and no eager initialisation: a health request never creates a bean.
    for (String name : beans.getBeanNamesForType(ReliableProducer.class, false, false)) {
      byName.put(name, new ProducerHealthIndicator((ReliableProducer<?, ?>) beans.getBean(name)));
    }
    return CompositeHealthContributor.fromMap(byName);
  }
}
