package dev.kafkasdk.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.KafkaSdkListener;
import dev.kafkasdk.spring.RunnerProperties;
import dev.kafkasdk.spring.RunnerProperties.FailureKind;
import dev.kafkasdk.spring.RunnerProperties.StrategyKind;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every combination of a small domain of annotation attributes and runner properties, against a
 * model of the rule "a set attribute wins and clears what it excludes; an unset one keeps the
 * property": topics or pattern on each side, three strategies, an ordering on each side, the four
 * failure actions with and without a dead-letter topic on each side, a group and max attempts on
 * the annotation over set properties. Enumerated rather than sampled: the domain is small enough to
 * run whole (the count is asserted), and this module's tests run on JUnit 6, which the build's
 * jqwik does not target.
 */
class ListenerOverrideModelTest {

  /** Annotation side; null = attribute left at its default. */
  record Attributes(
      String topics,
      String pattern,
      String strategy,
      String ordering,
      String action,
      String deadLetter,
      String group,
      String attempts) {}

  /** Properties side; null = property not set. */
  record Props(
      List<String> topics,
      String pattern,
      StrategyKind strategy,
      Ordering ordering,
      FailureKind action,
      String deadLetter,
      String group,
      Integer attempts) {}

  @SuppressWarnings("unused")
  void handle(ConsumerRecord<String, String> record) {}

  @Test
  void everyCombinationFollowsTheModel() throws Exception {
    Method method = getClass().getDeclaredMethod("handle", ConsumerRecord.class);
    int cases = 0;
    int errors = 0;
    for (Attributes attributes : attributes()) {
      for (Props props : props()) {
        cases++;
        RunnerProperties actual = toProperties(props);
        ListenerMethod listener =
            new ListenerMethod(method, annotation(attributes), "bean", value -> value);
        Props expected = model(attributes, props);
        if (expected == null) {
          errors++;
          assertThatThrownBy(() -> listener.applyTo(actual))
              .as("%s over %s", attributes, props)
              .isInstanceOf(SdkConfigException.class);
          continue;
        }
        listener.applyTo(actual);
        assertThat(fromProperties(actual)).as("%s over %s", attributes, props).isEqualTo(expected);
      }
    }
    assertThat(cases).isEqualTo(attributes().size() * props().size()).isEqualTo(768 * 144);
    assertThat(errors)
        .as("topics and a pattern on the annotation, or no topic anywhere")
        .isPositive();
  }

  /** The rule; null where the annotation is rejected. */
  private static Props model(Attributes a, Props p) {
    if (a.topics() != null && a.pattern() != null) {
      return null;
    }
    List<String> topics = p.topics();
    String pattern = p.pattern();
    if (a.topics() != null) {
      topics = List.of(a.topics());
      pattern = null;
    }
    if (a.pattern() != null) {
      pattern = a.pattern();
      topics = List.of();
    }
    if (topics.isEmpty() && pattern == null) {
      return null;
    }
    StrategyKind strategy = p.strategy();
    Ordering ordering = p.ordering();
    if (a.strategy() != null) {
      strategy = StrategyKind.valueOf(a.strategy().replace('-', '_').toUpperCase());
      if (strategy == StrategyKind.THREAD_PER_PARTITION && a.ordering() == null) {
        ordering = null;
      }
    }
    if (a.ordering() != null) {
      ordering = Ordering.valueOf(a.ordering().toUpperCase());
    }
    FailureKind action = p.action();
    String deadLetter = p.deadLetter();
    if (a.action() != null) {
      action = FailureKind.valueOf(a.action().replace('-', '_').toUpperCase());
      if (action != FailureKind.DEAD_LETTER) {
        deadLetter = null;
      }
    }
    if (a.deadLetter() != null) {
      deadLetter = a.deadLetter();
    }
    String group = a.group() != null ? a.group() : p.group();
    Integer attempts = a.attempts() != null ? Integer.valueOf(a.attempts()) : p.attempts();
    return new Props(topics, pattern, strategy, ordering, action, deadLetter, group, attempts);
  }

  private static List<Attributes> attributes() {
    List<Attributes> all = new ArrayList<>();
    for (String topics : nullOr("a-topic"))
      for (String pattern : nullOr("a\\..*"))
        for (String strategy : nullOr("multi-worker", "thread-per-partition"))
          for (String ordering : nullOr("key"))
            for (String action : nullOr("stop", "dead-letter", "skip"))
              for (String deadLetter : nullOr("a-dlt"))
                for (String group : nullOr("a-group"))
                  for (String attempts : nullOr("4"))
                    all.add(
                        new Attributes(
                            topics,
                            pattern,
                            strategy,
                            ordering,
                            action,
                            deadLetter,
                            group,
                            attempts));
    return all;
  }

  private static List<Props> props() {
    List<Props> all = new ArrayList<>();
    List<List<String>> topicChoices = List.of(List.of(), List.of("p-topic"));
    for (List<String> topics : topicChoices)
      for (String pattern : nullOr("p\\..*"))
        for (StrategyKind strategy : nullOr(StrategyKind.values()))
          for (Ordering ordering : nullOr(Ordering.UNORDERED))
            for (FailureKind action : nullOr(FailureKind.DEAD_LETTER, FailureKind.SKIP))
              for (String deadLetter : nullOr("p-dlt"))
                // Group and attempts depend on nothing else: set here, set or not on the
                // annotation.
                all.add(
                    new Props(
                        topics, pattern, strategy, ordering, action, deadLetter, "p-group", 2));
    return all;
  }

  @SafeVarargs
  private static <T> List<T> nullOr(T... values) {
    List<T> choices = new ArrayList<>();
    choices.add(null);
    for (T value : values) {
      choices.add(value);
    }
    return choices;
  }

  private static RunnerProperties toProperties(Props p) {
    RunnerProperties props = new RunnerProperties();
    props.setTopics(new ArrayList<>(p.topics()));
    props.setTopicPattern(p.pattern());
    props.setStrategy(p.strategy());
    props.setOrdering(p.ordering());
    props.setFailureAction(p.action());
    props.setDeadLetterTopic(p.deadLetter());
    props.setGroupId(p.group());
    props.getRetry().setMaxAttempts(p.attempts());
    return props;
  }

  private static Props fromProperties(RunnerProperties props) {
    return new Props(
        List.copyOf(props.getTopics()),
        props.getTopicPattern(),
        props.getStrategy(),
        props.getOrdering(),
        props.getFailureAction(),
        props.getDeadLetterTopic(),
        props.getGroupId(),
        props.getRetry().getMaxAttempts());
  }

  /** An annotation instance with the given attributes, the others at their defaults. */
  private static KafkaSdkListener annotation(Attributes a) {
    Map<String, Object> values =
        new java.util.HashMap<>(
            Map.of(
                "topics", a.topics() == null ? new String[0] : new String[] {a.topics()},
                "topicPattern", orEmpty(a.pattern()),
                "strategy", orEmpty(a.strategy()),
                "ordering", orEmpty(a.ordering()),
                "failureAction", orEmpty(a.action()),
                "deadLetterTopic", orEmpty(a.deadLetter()),
                "groupId", orEmpty(a.group()),
                "maxAttempts", orEmpty(a.attempts())));
    return (KafkaSdkListener)
        Proxy.newProxyInstance(
            KafkaSdkListener.class.getClassLoader(),
            new Class<?>[] {KafkaSdkListener.class},
            (proxy, m, args) -> {
              if (m.getName().equals("annotationType")) {
                return KafkaSdkListener.class;
              }
              if (values.containsKey(m.getName())) {
                return values.get(m.getName());
              }
              if (m.getReturnType() == String.class) {
                return "";
              }
              return m.getName() + " is not modelled";
            });
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
