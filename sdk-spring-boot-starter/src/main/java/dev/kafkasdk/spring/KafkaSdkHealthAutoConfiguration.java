package dev.kafkasdk.spring;

import dev.kafkasdk.spring.internal.KafkaSdkHealthConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Import;

/**
 * The {@code kafkaSdk} health contributor: one component per runner of {@link KafkaSdkRunners}
 * (under {@code runners}) and one per {@code ReliableProducer} bean (under {@code producers}), read
 * at every health request, so runners of annotated methods and producers defined by the application
 * are included. Active when Spring Boot's health module is on the class path (it is with {@code
 * spring-boot-starter-actuator}) and {@code management.health.kafkasdk.enabled} is not false.
 *
 * <p>A runner is {@code DOWN} when it failed or stopped by itself (the failure as details), or when
 * a partition is stuck (the stuck partitions as details); {@code OUT_OF_SERVICE} when the
 * application paused partitions ({@code pause()}) or stopped it ({@code close()}); {@code UNKNOWN}
 * before it starts; otherwise {@code UP} with its assigned partitions. A producer is {@code UP}
 * until it is closed ({@code DOWN}).
 */
@AutoConfiguration(after = KafkaSdkAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(KafkaSdkRunners.class)
@ConditionalOnEnabledHealthIndicator("kafkasdk")
@Import(KafkaSdkHealthConfiguration.class)
public class KafkaSdkHealthAutoConfiguration {

  /** Created by Spring Boot. */
  public KafkaSdkHealthAutoConfiguration() {}
}
