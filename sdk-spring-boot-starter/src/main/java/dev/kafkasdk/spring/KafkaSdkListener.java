package dev.kafkasdk.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method the handler of a {@code ConsumerRunner}: the starter builds one runner per
 * annotated method when the bean is created, and the runner then has the same lifecycle as one
 * declared in {@code kafkasdk.runners} (started with the context unless {@link #autoStartup()} is
 * false, drained and committed when it closes), the same customizers, meters, observations and
 * health. The method takes exactly one parameter and returns {@code void}:
 *
 * <ul>
 *   <li>{@code ConsumerRecord<K, V>}: a record handler ({@code RecordHandler}), called once per
 *       record on a worker thread;
 *   <li>{@code List<ConsumerRecord<K, V>>}: a batch handler ({@code BatchHandler}), called with up
 *       to {@code max-batch-size} records of one ordering lane.
 * </ul>
 *
 * <p>Throwing from the method is a failed attempt: the runner's retry policy and failure action
 * decide, as for any handler (by default the runner stops and the record is delivered again after a
 * restart). Keys and values are what the runner's deserializers produce ({@code String} unless
 * {@code kafkasdk.runners.<name>.key-deserializer}/{@code value-deserializer} or a {@link
 * RunnerBuilderCustomizer} says otherwise).
 *
 * <p><b>Annotation and properties.</b> The runner's settings are {@code kafkasdk.runners.<name>.*}
 * (see {@link RunnerProperties}) with every attribute set here written over them: an attribute left
 * at its default ({@code ""} or empty) keeps the property, a set one wins. So the annotation can
 * carry everything, or only the topics while operations tune workers and retries in {@code
 * application.yml}. Every attribute accepts {@code ${...}} placeholders. A {@code
 * kafkasdk.runners.<name>} entry whose name an annotated method uses configures that method's
 * runner and no other (no handler bean named {@code <name>} is looked for).
 *
 * <p>Invalid annotations stop the application's start with the method named: a parameter list or
 * return type other than the above, a static method, no topics (here or in properties), a value
 * that is not one of the listed words, two methods with one name, or anything the runner builder
 * rejects.
 *
 * <pre>{@code
 * @Component
 * class OrderEvents {
 *   @KafkaSdkListener(
 *       name = "orders",
 *       topics = "${app.orders-topic}",
 *       groupId = "order-service",
 *       workers = "8",
 *       ordering = "key",
 *       maxAttempts = "5",
 *       failureAction = "dead-letter")
 *   void on(ConsumerRecord<String, String> record) {
 *     orders.apply(record.key(), record.value());
 *   }
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KafkaSdkListener {

  /**
   * The runner's name: its key in {@code kafkasdk.runners}, its name in {@link KafkaSdkRunners},
   * its meter tag and client-id prefix. Unique in the context.
   *
   * @return the name; default {@code <bean name>.<method name>}
   */
  String name() default "";

  /**
   * The topics to subscribe to. Required unless {@link #topicPattern()} or the properties give
   * them; each entry may be a placeholder, and one resolving to a comma-separated list gives
   * several topics.
   *
   * @return topic names
   */
  String[] topics() default {};

  /**
   * A regular expression: subscribes to every topic whose whole name matches, in place of {@link
   * #topics()}.
   *
   * @return the pattern, or {@code ""} for none
   */
  String topicPattern() default "";

  /**
   * The consumer group ({@code group.id}).
   *
   * @return the group, or {@code ""} for the properties' (required there then)
   */
  String groupId() default "";

  /**
   * The threads: {@code multi-worker} or {@code thread-per-partition}.
   *
   * @return the strategy, or {@code ""} for the properties' (default multi-worker)
   */
  String strategy() default "";

  /**
   * Handler threads of multi-worker, or consumer threads of thread-per-partition; an integer.
   *
   * @return the count, or {@code ""} for the properties' (default one per processor)
   */
  String workers() default "";

  /**
   * The order of multi-worker: {@code partition}, {@code key} or {@code unordered} (see {@code
   * dev.kafkasdk.consumer.Ordering}).
   *
   * @return the ordering, or {@code ""} for the properties' (default partition)
   */
  String ordering() default "";

  /**
   * The most attempts per record, the first included (the retry policy's {@code maxAttempts});
   * backoff and duration come from {@code kafkasdk.runners.<name>.retry.*}.
   *
   * @return an integer of at least 1, or {@code ""} for the properties' (default 1: no retry)
   */
  String maxAttempts() default "";

  /**
   * What happens to a record that failed for good: {@code stop}, {@code dead-letter} or {@code
   * skip}.
   *
   * @return the action, or {@code ""} for the properties' (default stop)
   */
  String failureAction() default "";

  /**
   * The dead-letter topic of {@code failureAction = "dead-letter"}.
   *
   * @return the topic, or {@code ""} for the properties' (default the record's topic plus {@code
   *     .DLT})
   */
  String deadLetterTopic() default "";

  /**
   * Whether the runner starts with the context: {@code true} or {@code false}. When false, start it
   * with {@code runners.runner(name).get().start()}.
   *
   * @return the flag, or {@code ""} for the properties' (default true)
   */
  String autoStartup() default "";
}
