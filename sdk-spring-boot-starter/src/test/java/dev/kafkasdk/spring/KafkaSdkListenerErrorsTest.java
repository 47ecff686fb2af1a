package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.internal.SdkConfigFailureAnalyzer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every way a {@link KafkaSdkListener} method can be wrong stops the start with the method and the
 * attribute named, through the failure analyzer; a {@code kafkasdk.runners} entry named like an
 * annotated method configures its runner and declares no second one. No broker: nothing starts.
 */
class KafkaSdkListenerErrorsTest {
  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaSdkAutoConfiguration.class, KafkaSdkListenerAutoConfiguration.class))
          .withPropertyValues(
              "kafkasdk.bootstrap-servers=localhost:9", "kafkasdk.properties.group.id=errors");

  static class WrongParameter {
    @KafkaSdkListener(topics = "orders")
    void handle(String value) {}
  }

  static class TwoParameters {
    @KafkaSdkListener(topics = "orders")
    void handle(ConsumerRecord<String, String> record, String extra) {}
  }

  static class ReturnsValue {
    @KafkaSdkListener(topics = "orders")
    String handle(ConsumerRecord<String, String> record) {
      return record.value();
    }
  }

  static class ListOfValues {
    @KafkaSdkListener(topics = "orders")
    void handle(List<String> values) {}
  }

  static class NoTopics {
    @KafkaSdkListener(name = "orders")
    void handle(ConsumerRecord<String, String> record) {}
  }

  static class UnknownOrdering {
    @KafkaSdkListener(topics = "orders", ordering = "sideways")
    void handle(ConsumerRecord<String, String> record) {}
  }

  static class NotANumber {
    @KafkaSdkListener(topics = "orders", maxAttempts = "many")
    void handle(ConsumerRecord<String, String> record) {}
  }

  static class MissingPlaceholder {
    @KafkaSdkListener(topics = "${no.such.topic}")
    void handle(ConsumerRecord<String, String> record) {}
  }

  static class ZeroWorkers {
    @KafkaSdkListener(name = "orders", topics = "orders", workers = "0")
    void handle(ConsumerRecord<String, String> record) {}
  }

  static class SameName {
    @KafkaSdkListener(name = "orders", topics = "orders")
    void first(ConsumerRecord<String, String> record) {}

    @KafkaSdkListener(name = "orders", topics = "payments")
    void second(ConsumerRecord<String, String> record) {}
  }

  @Test
  void aWrongSignatureNamesTheMethodAndTheTwoShapes() {
    String shapes =
        "take exactly one ConsumerRecord<K, V> (a record handler) or one"
            + " List<ConsumerRecord<K, V>> (a batch handler)";
    fails(
        WrongParameter.class, "WrongParameter.handle(String)", "takes (java.lang.String)", shapes);
    fails(TwoParameters.class, "TwoParameters.handle(ConsumerRecord, String)", "takes (", shapes);
    fails(
        ListOfValues.class,
        "ListOfValues.handle(List)",
        "java.util.List<java.lang.String>",
        shapes);
    fails(
        ReturnsValue.class, "ReturnsValue.handle(ConsumerRecord)", "returns String", "return void");
  }

  @Test
  void attributesAreCheckedWithTheWordsTheyAccept() {
    fails(
        NoTopics.class,
        "@KafkaSdkListener(topics) on",
        "kafkasdk.runners.orders has neither topics nor a topic-pattern",
        "set topics (or topicPattern) on the annotation, or in kafkasdk.runners.orders");
    fails(
        UnknownOrdering.class,
        "@KafkaSdkListener(ordering) on",
        "is 'sideways'",
        "use one of partition, key, unordered");
    fails(NotANumber.class, "@KafkaSdkListener(maxAttempts) on", "not an integer", "whole number");
    fails(
        MissingPlaceholder.class,
        "@KafkaSdkListener(topics) on",
        "cannot be resolved",
        "define the placeholder");
    fails(
        SameName.class,
        "@KafkaSdkListener(name) on",
        "names the runner 'orders', which",
        "give each @KafkaSdkListener method its own name");
  }

  @Test
  void whatTheBuilderRejectsNamesTheRunnerAndTheMethod() {
    contexts
        .withBean(ZeroWorkers.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new SdkConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("runner 'orders' of @KafkaSdkListener")
                  .contains("ZeroWorkers.handle(ConsumerRecord)")
                  .contains("multiWorker.workers");
            });
  }

  static class ConfiguredByProperties {
    @KafkaSdkListener(name = "orders", topics = "orders")
    void handle(ConsumerRecord<String, String> record) {}
  }

  @Test
  void aPropertiesEntryOfTheSameNameConfiguresTheAnnotatedRunnerOnly() {
    contexts
        .withBean(ConfiguredByProperties.class)
        .withPropertyValues(
            "kafkasdk.runners.orders.topics=ignored-by-the-annotation",
            "kafkasdk.runners.orders.auto-startup=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context)
                  .as("no properties-declared runner looking for a handler bean 'orders'")
                  .doesNotHaveBean("ordersRunner");
              KafkaSdkRunners runners = context.getBean(KafkaSdkRunners.class);
              assertThat(runners.names()).containsExactly("orders");
              assertThat(runners.runner("orders").orElseThrow().state())
                  .as("auto-startup=false from the properties, the annotation leaving it unset")
                  .isEqualTo(ConsumerRunner.State.NEW);
            });
  }

  private void fails(Class<?> bean, String where, String problem, String fix) {
    contexts
        .withBean(bean)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasRootCauseInstanceOf(SdkConfigException.class);
              FailureAnalysis analysis =
                  new SdkConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains(where).contains(problem);
              assertThat(analysis.getAction()).contains(fix);
            });
  }
}
