package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code kafkaSdk} health contributor against real runners on the embedded cluster, in states
 * reached for real: a runner whose handler fails under the stop action (DOWN, the failure as
 * details), one the application paused (OUT_OF_SERVICE), one whose handler hangs past stuck-after
 * (DOWN, the stuck partition), one not started (UNKNOWN), a healthy one (UP with its partitions),
 * and a producer before and after it is closed. Plus when the contributor exists at all.
 */
@KafkaTest
class KafkaSdkHealthTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaSdkAutoConfiguration.class,
                  KafkaSdkDefaultProducerAutoConfiguration.class,
                  KafkaSdkListenerAutoConfiguration.class,
                  KafkaSdkHealthAutoConfiguration.class,
                  HealthContributorRegistryAutoConfiguration.class));

  /** A handler bean per state; each runner reads its own topic. */
  static class Handlers {
    final CountDownLatch release = new CountDownLatch(1);

    @KafkaSdkListener(name = "failing", topics = "${test.topic}-failing")
    void fail(ConsumerRecord<String, String> record) {
      throw new IllegalStateException("cannot handle " + record.value());
    }

    @KafkaSdkListener(name = "hanging", topics = "${test.topic}-hanging")
    void hang(ConsumerRecord<String, String> record) throws InterruptedException {
      release.await();
    }

    @KafkaSdkListener(name = "paused", topics = "${test.topic}-paused")
    void pausedLater(ConsumerRecord<String, String> record) {}

    @KafkaSdkListener(name = "healthy", topics = "${test.topic}-healthy")
    void handle(List<ConsumerRecord<String, String>> records) {}

    @KafkaSdkListener(name = "idle", topics = "${test.topic}-idle", autoStartup = "false")
    void notStarted(ConsumerRecord<String, String> record) {}
  }

  @Test
  void eachRunnerAndProducerReportsItsState(KafkaCluster kafka, TestNames names) {
    for (String runner : List.of("failing", "hanging", "paused", "healthy", "idle")) {
      kafka.createTopic(names.topic(runner), 2, 1);
    }
    TestRecords records = TestRecords.of(kafka);
    contexts
        .withBean(Handlers.class)
        .withPropertyValues(
            "test.topic=" + names.topic(),
            "kafkasdk.bootstrap-servers=" + kafka.bootstrapServers(),
            "kafkasdk.properties.group.id=" + names.groupId(),
            "kafkasdk.properties.auto.offset.reset=earliest",
            "kafkasdk.runners.hanging.commit-interval=100ms",
            "kafkasdk.runners.hanging.stuck-after=1s",
            "kafkasdk.runners.hanging.close-timeout=1s",
            "kafkasdk.runners.failing.close-timeout=5s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              KafkaSdkRunners runners = context.getBean(KafkaSdkRunners.class);
              runners.runner("paused").orElseThrow().pause();
              records.produce(
                  List.of(
                      new ProducerRecord<>(names.topic("failing"), "k", "poison"),
                      new ProducerRecord<>(names.topic("hanging"), "k", "slow")));

              await("a failed runner is DOWN with its failure")
                  .atMost(WAIT)
                  .untilAsserted(
                      () -> {
                        Health health = runner(context, "failing");
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(health.getDetails())
                            .containsEntry("state", ConsumerRunner.State.FAILED)
                            .hasEntrySatisfying(
                                "error",
                                error ->
                                    assertThat(error.toString())
                                        .startsWith(HandlerFailedException.class.getName())
                                        .contains("cannot handle poison"));
                      });
              await("a runner with a hanging handler is DOWN with the stuck partition")
                  .atMost(WAIT)
                  .untilAsserted(
                      () -> {
                        Health health = runner(context, "hanging");
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(health.getDetails())
                            .containsEntry("state", ConsumerRunner.State.RUNNING)
                            .containsKey("stuckPartitions")
                            .containsEntry("stuckAfter", "PT1S");
                        assertThat((List<?>) health.getDetails().get("stuckPartitions"))
                            .singleElement()
                            .asString()
                            .startsWith(names.topic("hanging") + "-");
                      });
              await("a runner the application paused is OUT_OF_SERVICE")
                  .atMost(WAIT)
                  .untilAsserted(
                      () -> {
                        Health health = runner(context, "paused");
                        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                        assertThat(health.getDetails().get("pausedPartitions"))
                            .isEqualTo(
                                List.of(
                                    names.topic("paused") + "-0", names.topic("paused") + "-1"));
                      });
              await("a running runner is UP with its assignment")
                  .atMost(WAIT)
                  .untilAsserted(
                      () -> {
                        Health health = runner(context, "healthy");
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).containsEntry("assignedPartitions", 2);
                      });
              assertThat(runner(context, "idle").getStatus()).isEqualTo(Status.UNKNOWN);
              runners.runner("paused").orElseThrow().resume();
              await("resuming brings it back UP")
                  .atMost(WAIT)
                  .until(() -> runner(context, "paused").getStatus().equals(Status.UP));

              Health producer = producer(context, "kafkaSdkProducer");
              assertThat(producer.getStatus()).isEqualTo(Status.UP);
              context.getBean(ReliableProducer.class).close();
              assertThat(producer(context, "kafkaSdkProducer").getStatus()).isEqualTo(Status.DOWN);

              assertThat(
                      context.getBean(HealthContributorRegistry.class).getContributor("kafkaSdk"))
                  .as("registered as kafkaSdk in the health endpoint's registry")
                  .isSameAs(context.getBean("kafkaSdkHealthContributor"));
              context.getBean(Handlers.class).release.countDown();
            });
  }

  @Test
  void switchedOffByPropertyOrWithoutBootHealth() {
    contexts
        .withPropertyValues("management.health.kafkasdk.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("kafkaSdkHealthContributor"));
    contexts
        .withClassLoader(new FilteredClassLoader(HealthContributor.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("kafkaSdkHealthContributor"));
    contexts.run(context -> assertThat(context).hasBean("kafkaSdkHealthContributor"));
  }

  private static Health runner(AssertableApplicationContext context, String name) {
    return component(context, "runners", name);
  }

  private static Health producer(AssertableApplicationContext context, String name) {
    return component(context, "producers", name);
  }

  private static Health component(AssertableApplicationContext context, String group, String name) {
    CompositeHealthContributor root =
        (CompositeHealthContributor) context.getBean("kafkaSdkHealthContributor");
    CompositeHealthContributor members = (CompositeHealthContributor) root.getContributor(group);
    return ((HealthIndicator) members.getContributor(name)).health();
  }
}
