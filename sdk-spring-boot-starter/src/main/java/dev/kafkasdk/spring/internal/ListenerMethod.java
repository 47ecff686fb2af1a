package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.KafkaSdkListener;
import dev.kafkasdk.spring.RunnerProperties;
import dev.kafkasdk.spring.RunnerProperties.FailureKind;
import dev.kafkasdk.spring.RunnerProperties.StrategyKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link KafkaSdkListener} method: checks its signature, resolves its attributes (placeholders
 * through the given resolver) and writes them over the runner's {@link RunnerProperties}, and turns
 * the method into the runner's handler. Every problem is an {@link SdkConfigException} whose
 * setting names the attribute and the method.
 */
final class ListenerMethod {
  private final Method method;
  private final KafkaSdkListener annotation;
  private final String beanName;
  private final UnaryOperator<String> resolver;
  private final boolean batch;

  /**
   * Checks the method.
   *
   * @param method the annotated method, as declared
   * @param annotation its annotation
   * @param beanName the bean's name, for the default runner name
   * @param resolver resolves {@code ${...}} placeholders
   * @throws SdkConfigException if the method cannot be a handler
   */
  ListenerMethod(
      Method method, KafkaSdkListener annotation, String beanName, UnaryOperator<String> resolver) {
    this.method = method;
    this.annotation = annotation;
    this.beanName = beanName;
    this.resolver = resolver;
    this.batch = checkSignature();
  }

  /** The method as people read it: {@code com.example.OrderEvents.on(ConsumerRecord)}. */
  String describe() {
    return method.getDeclaringClass().getName()
        + "."
        + method.getName()
        + "("
        + String.join(
            ", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList())
        + ")";
  }

  /** The runner's name: the resolved {@code name}, or {@code <bean name>-<method name>}. */
  String runnerName() {
    String name = resolve("name", annotation.name());
    return name.isEmpty() ? beanName + "-" + method.getName() : name;
  }

  /**
   * Writes every attribute that is set over the properties, and clears the properties a set
   * attribute excludes (topics and a pattern, an ordering under thread-per-partition, a dead-letter
   * topic under another action), so an annotation always wins over {@code application.yml}.
   *
   * @param props the runner's properties, a copy this method may change
   * @return {@code props}
   */
  RunnerProperties applyTo(RunnerProperties props) {
    List<String> topics = topics();
    if (!topics.isEmpty()) {
      props.setTopics(topics);
      props.setTopicPattern(null);
    }
    String pattern = resolve("topicPattern", annotation.topicPattern());
    if (!pattern.isEmpty()) {
      if (!topics.isEmpty()) {
        throw invalid(
            "topicPattern",
            "is set together with topics",
            "subscribe either to topics or to a topicPattern");
      }
      props.setTopicPattern(pattern);
      props.setTopics(new ArrayList<>());
    }
    set("groupId", annotation.groupId(), Function.identity(), props::setGroupId);
    StrategyKind strategy =
        parse("strategy", annotation.strategy(), StrategyKind.class, "multi-worker");
    if (strategy != null) {
      props.setStrategy(strategy);
      if (strategy == StrategyKind.THREAD_PER_PARTITION && annotation.ordering().isEmpty()) {
        props.setOrdering(null);
      }
    }
    set("workers", annotation.workers(), value -> integer("workers", value), props::setWorkers);
    Ordering ordering = parse("ordering", annotation.ordering(), Ordering.class, "key");
    if (ordering != null) {
      props.setOrdering(ordering);
    }
    set(
        "maxAttempts",
        annotation.maxAttempts(),
        value -> integer("maxAttempts", value),
        props.getRetry()::setMaxAttempts);
    FailureKind action =
        parse("failureAction", annotation.failureAction(), FailureKind.class, "dead-letter");
    if (action != null) {
      props.setFailureAction(action);
      if (action != FailureKind.DEAD_LETTER) {
        props.setDeadLetterTopic(null);
      }
    }
    set(
        "deadLetterTopic",
        annotation.deadLetterTopic(),
        Function.identity(),
        props::setDeadLetterTopic);
    set(
        "autoStartup",
        annotation.autoStartup(),
        value -> bool("autoStartup", value),
        props::setAutoStartup);
    if (props.getTopics().isEmpty() && props.getTopicPattern() == null) {
      throw invalid(
          "topics",
          "names no topic, and kafkasdk.runners."
              + runnerName()
              + " has neither topics nor a"
              + " topic-pattern",
          "set topics (or topicPattern) on the annotation, or in kafkasdk.runners." + runnerName());
    }
    return props;
  }

  /**
   * Sets the method as the builder's record or batch handler, invoked on {@code bean}.
   *
   * @param builder the runner's builder
   * @param bean the bean (possibly a proxy) whose method runs
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void handle(ConsumerRunner.Builder builder, Object bean, Method invocable) {
    ReflectionUtils.makeAccessible(invocable);
    if (batch) {
      builder.batchHandler((BatchHandler) records -> invoke(bean, invocable, records));
    } else {
      builder.handler((RecordHandler) record -> invoke(bean, invocable, record));
    }
  }

  /** Calls the method; what it throws is the handler's failure, unwrapped. */
  private static void invoke(Object bean, Method invocable, Object argument) throws Exception {
    try {
      invocable.invoke(bean, argument);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** True for a batch handler, false for a record handler. */
  private boolean checkSignature() {
    if (Modifier.isStatic(method.getModifiers())) {
      throw invalid(null, "is static", "annotate an instance method of a bean");
    }
    if (method.getReturnType() != void.class) {
      throw invalid(
          null,
          "returns " + method.getReturnType().getSimpleName() + "; nothing would read the result",
          "return void");
    }
    Type[] parameters = method.getGenericParameterTypes();
    if (parameters.length == 1) {
      Class<?> raw = method.getParameterTypes()[0];
      if (raw == ConsumerRecord.class) {
        return false;
      }
      if (raw == List.class
          && parameters[0] instanceof ParameterizedType list
          && rawType(list.getActualTypeArguments()[0]) == ConsumerRecord.class) {
        return true;
      }
    }
    throw invalid(
        null,
        "takes ("
            + String.join(", ", Arrays.stream(parameters).map(Type::getTypeName).toList())
            + ")",
        "take exactly one ConsumerRecord<K, V> (a record handler) or one"
            + " List<ConsumerRecord<K, V>> (a batch handler)");
  }

  private static Class<?> rawType(Type type) {
    if (type instanceof Class<?> plain) {
      return plain;
    }
    return type instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType()
        : Object.class;
  }

  private List<String> topics() {
    List<String> topics = new ArrayList<>();
    for (String entry : annotation.topics()) {
      for (String topic : resolve("topics", entry).split(",")) {
        if (!topic.isBlank()) {
          topics.add(topic.trim());
        }
      }
    }
    if (annotation.topics().length > 0 && topics.isEmpty()) {
      throw invalid(
          "topics",
          "resolves to no topic: " + Arrays.toString(annotation.topics()),
          "name at least one topic, or remove topics to take them from the properties");
    }
    return topics;
  }

  private <T> void set(
      String attribute,
      String raw,
      Function<String, T> convert,
      java.util.function.Consumer<T> setter) {
    String value = resolve(attribute, raw);
    if (!value.isEmpty()) {
      setter.accept(convert.apply(value));
    }
  }

  private <E extends Enum<E>> E parse(String attribute, String raw, Class<E> type, String example) {
    String value = resolve(attribute, raw);
    if (value.isEmpty()) {
      return null;
    }
    String constant = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E candidate : type.getEnumConstants()) {
      if (candidate.name().equals(constant)) {
        return candidate;
      }
    }
    throw invalid(
        attribute,
        "is '" + value + "'",
        "use one of "
            + String.join(
                ", ",
                Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .toList())
            + " (for example '"
            + example
            + "')");
  }

  private Integer integer(String attribute, String value) {
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(attribute, "is '" + value + "', not an integer", "use a whole number");
    }
  }

  private Boolean bool(String attribute, String value) {
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
      return Boolean.valueOf(trimmed);
    }
    throw invalid(attribute, "is '" + value + "'", "use true or false");
  }

  private String resolve(String attribute, String raw) {
    try {
      return raw.isEmpty() ? raw : resolver.apply(raw).trim();
    } catch (IllegalArgumentException e) {
      throw invalid(attribute, "cannot be resolved: " + e.getMessage(), "define the placeholder");
    }
  }

  /** An error naming the attribute (or the method itself, for {@code null}) and the method. */
  SdkConfigException invalid(String attribute, String problem, String fix) {
    return new SdkConfigException(
        "@KafkaSdkListener"
            + (attribute == null ? "" : "(" + attribute + ")")
            + " on "
            + describe(),
        problem,
        fix);
  }
}
