package dev.kafkasdk.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.spring.KafkaSdkListener;
import dev.kafkasdk.spring.RunnerProperties;
import dev.kafkasdk.spring.RunnerProperties.FailureKind;
import dev.kafkasdk.spring.RunnerProperties.StrategyKind;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The rule between annotation and properties: a set attribute wins and clears the properties it
 * excludes; an unset one keeps the property.
 */
class ListenerMethodTest {

  static class Handlers {
    @KafkaSdkListener(
        topics = {"a", "${more}"},
        ordering = "key",
        failureAction = "stop")
    void full(ConsumerRecord<String, String> record) {}

    @KafkaSdkListener(strategy = "thread-per-partition")
    void strategyOnly(List<ConsumerRecord<String, String>> records) {}

    @KafkaSdkListener(topicPattern = "orders\\..*", maxAttempts = "4", autoStartup = "false")
    void pattern(ConsumerRecord<String, String> record) {}
  }

  @Test
  void setAttributesWinUnsetOnesKeepTheProperties() throws Exception {
    RunnerProperties props = properties();
    apply("full", props);

    assertThat(props.getTopics()).containsExactly("a", "b", "c");
    assertThat(props.getTopicPattern()).as("topics exclude the pattern").isNull();
    assertThat(props.getOrdering()).isEqualTo(Ordering.KEY);
    assertThat(props.getFailureAction()).isEqualTo(FailureKind.STOP);
    assertThat(props.getDeadLetterTopic()).as("stop excludes a dead-letter topic").isNull();
    assertThat(props.getWorkers()).as("unset: the property's").isEqualTo(12);
    assertThat(props.getGroupId()).isEqualTo("from-properties");
    assertThat(props.getRetry().getMaxAttempts()).isEqualTo(2);
    assertThat(props.isAutoStartup()).isTrue();
  }

  @Test
  void excludedPropertiesAreClearedTheOtherWayRoundToo() throws Exception {
    RunnerProperties strategy = properties();
    apply("strategyOnly", strategy);
    assertThat(strategy.getStrategy()).isEqualTo(StrategyKind.THREAD_PER_PARTITION);
    assertThat(strategy.getOrdering()).as("thread-per-partition excludes an ordering").isNull();
    assertThat(strategy.getTopicPattern()).as("no topics set: the property's").isEqualTo("p.*");

    RunnerProperties pattern = properties();
    pattern.setTopicPattern(null);
    pattern.setTopics(List.of("x"));
    apply("pattern", pattern);
    assertThat(pattern.getTopicPattern()).isEqualTo("orders\\..*");
    assertThat(pattern.getTopics()).as("a pattern excludes topics").isEmpty();
    assertThat(pattern.getRetry().getMaxAttempts()).isEqualTo(4);
    assertThat(pattern.isAutoStartup()).isFalse();
  }

  private static RunnerProperties properties() {
    RunnerProperties props = new RunnerProperties();
    props.setTopicPattern("p.*");
    props.setGroupId("from-properties");
    props.setWorkers(12);
    props.setOrdering(Ordering.UNORDERED);
    props.setFailureAction(FailureKind.DEAD_LETTER);
    props.setDeadLetterTopic("dlt");
    props.getRetry().setMaxAttempts(2);
    return props;
  }

  private static void apply(String methodName, RunnerProperties props) {
    Method method =
        java.util.Arrays.stream(Handlers.class.getDeclaredMethods())
            .filter(m -> m.getName().equals(methodName))
            .findFirst()
            .orElseThrow();
    new ListenerMethod(
            method,
            method.getAnnotation(KafkaSdkListener.class),
            "handlers",
            value -> value.replace("${more}", "b, c"))
        .applyTo(props);
  }
}
