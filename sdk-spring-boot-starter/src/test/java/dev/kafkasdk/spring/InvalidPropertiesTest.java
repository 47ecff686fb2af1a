package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.internal.SdkConfigFailureAnalyzer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/**
 * Every property reaches its builder method: an invalid value of each fails the context's start
 * with the SDK's own {@link SdkConfigException} naming the builder's setting (so the value was
 * handed to that method, and the SDK, not the starter, judged it), and the failure analyzer's
 * report names the client's properties and the SDK's fix. No broker is needed: nothing connects
 * before {@code build()} has accepted the settings.
 */
class InvalidPropertiesTest {
  private static final String RUNNER = "kafkasdk.runners.orders.";
  private static final String PRODUCER = "kafkasdk.producers.events.";

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaSdkAutoConfiguration.class, KafkaSdkDefaultProducerAutoConfiguration.class))
          .withBean("orders", RecordHandler.class, () -> record -> {});

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max-in-flight=0 | maxInFlight",
        "max-in-flight-per-partition=0 | maxInFlightPerPartition",
        "max-batch-size=0 | maxBatchSize",
        "commit-interval=0s | commitInterval",
        "close-timeout=0s | closeTimeout",
        "poll-timeout=0s | pollTimeout",
        "revocation-timeout=0s | revocationTimeout",
        "slow-handler-threshold=0s | slowHandlerThreshold",
        "stuck-after=1ms | stuckAfter",
        "workers=0 | multiWorker.workers",
        "strategy=multi-worker,workers=0 | multiWorker.workers",
        "strategy=thread-per-partition,workers=0 | threadPerPartition.threads",
        "strategy=thread-per-partition,ordering=key | kafkasdk.runners.orders.ordering",
        "retry.max-attempts=0 | retry.maxAttempts",
        "retry.max-duration=0s | retry.maxDuration",
        "retry.backoff=0ms | kafkasdk.runners.orders.retry.backoff",
        "dead-letter-topic=orders.failed | kafkasdk.runners.orders.dead-letter-topic",
        "failure-action=skip,dead-letter-topic=x | kafkasdk.runners.orders.dead-letter-topic",
        "circuit-breaker.failure-rate-threshold=0 | kafkasdk.runners.orders.circuit-breaker",
        "circuit-breaker.sliding-window-size=0 | kafkasdk.runners.orders.circuit-breaker",
        "rate-limit.limit-for-period=0 | kafkasdk.runners.orders.rate-limit",
        "rate-limit.limit-refresh-period=1s | kafkasdk.runners.orders.rate-limit.limit-for-period",
        "properties.enable.auto.commit=true | enable.auto.commit",
        "max-in-flight-per-partition=100,properties.max.poll.records=600 | max.poll.records",
        "topics= | topics",
        "topic-pattern=( | kafkasdk.runners.orders.topic-pattern",
        "group-id= | group.id",
        "key-deserializer=java.lang.String | kafkasdk.runners.orders.key-deserializer",
        "value-deserializer=java.lang.String | kafkasdk.runners.orders.value-deserializer",
      })
  void anInvalidRunnerPropertyFailsTheStartWithTheSdksSetting(String settings, String setting) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "kafkasdk.bootstrap-servers=localhost:9",
                RUNNER + "topics=orders",
                RUNNER + "group-id=orders-service",
                RUNNER + "auto-startup=false"));
    Arrays.stream(settings.split(",")).map(String::strip).forEach(p -> properties.add(RUNNER + p));
    assertFailure(properties, setting, "runner 'orders'", "kafkasdk.runners.orders.*");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "properties.acks=1 | acks",
        "properties.enable.idempotence=false | enable.idempotence",
        "mode=transactional | kafkasdk.producers.events.transactional-id-prefix",
        "mode=transactional,transactional-id-prefix=p,pool-size=0 | pool size",
        "mode=transactional,transactional-id-prefix=p,unsafe-acks=one | enable.idempotence",
        "mode=transactional,transactional-id-prefix=p,transaction-timeout=1ms |"
            + " transaction.timeout.ms",
        "mode=transactional,transactional-id-prefix=p,max-age=0s | maxAge",
        "mode=transactional,transactional-id-prefix=p,lease-timeout=0s | leaseTimeout",
        "pool-size=2 | kafkasdk.producers.events.pool-size",
        "transactional-id-prefix=p | kafkasdk.producers.events.transactional-id-prefix",
        "max-age=1h | kafkasdk.producers.events.max-age",
        "delivery-timeout=1ms | delivery.timeout.ms",
        "close-timeout=-1s | closeTimeout",
        "key-serializer=java.lang.String | kafkasdk.producers.events.key-serializer",
        "value-serializer=java.lang.String | kafkasdk.producers.events.value-serializer",
      })
  void anInvalidProducerPropertyFailsTheStartWithTheSdksSetting(String settings, String setting) {
    List<String> properties = new ArrayList<>(List.of("kafkasdk.bootstrap-servers=localhost:9"));
    Arrays.stream(settings.split(","))
        .map(String::strip)
        .forEach(p -> properties.add(PRODUCER + p));
    assertFailure(properties, setting, "producer 'events'", "kafkasdk.producers.events.*");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "kafkasdk.properties.enable.auto.commit=true | enable.auto.commit",
        "kafkasdk.bootstrap-servers= | bootstrap.servers",
      })
  void anInvalidSharedPropertyReachesTheRunner(String property, String setting) {
    assertFailure(
        List.of(
            "kafkasdk.bootstrap-servers=localhost:9",
            property,
            RUNNER + "topics=orders",
            RUNNER + "group-id=orders-service",
            RUNNER + "auto-startup=false"),
        setting,
        "runner 'orders'",
        "kafkasdk.runners.orders.*");
  }

  private void assertFailure(
      List<String> properties, String setting, String client, String prefix) {
    contexts
        .withPropertyValues(properties.toArray(String[]::new))
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(failure).as("start of a context with %s", properties).isNotNull();
              SdkConfigException cause = sdkCause(failure);
              assertThat(cause).as("the SDK's exception in %s", failure).isNotNull();
              assertThat(cause.setting()).isEqualTo(setting);
              FailureAnalysis analysis = new SdkConfigFailureAnalyzer().analyze(failure);
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains(client, prefix, "Invalid setting '" + setting + "'")
                  .doesNotContain("Fix:");
              assertThat(analysis.getAction()).isEqualTo(cause.fix()).isNotBlank();
            });
  }

  private static SdkConfigException sdkCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SdkConfigException sdk) {
        return sdk;
      }
    }
    Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
    return root instanceof SdkConfigException sdk ? sdk : null;
  }
}
