package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.TestSizes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The tries of a jqwik property in the quick run (the normal test command); the full run ({@code
 * -Dkafkasdk.tests=full}) keeps the tries of its {@code @Property}. A seed given to jqwik replays
 * the same cases in either run as far as both go.
 *
 * <pre>{@code
 * @Property(tries = 1500)
 * @QuickTries(300)
 * void everyRecordEndsAsTheModelSays(@ForAll("cases") ModelCase model) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(QuickTries.Hook.class)
@interface QuickTries {
  /**
   * The tries in the quick run.
   *
   * @return the number of tries
   */
  int value();

  /** Sets the quick run's tries before jqwik generates the cases. */
  final class Hook implements AroundPropertyHook {
    @Override
    public PropertyExecutionResult aroundProperty(
        PropertyLifecycleContext context, PropertyExecutor property) {
      if (!TestSizes.full()) {
        context
            .findAnnotation(QuickTries.class)
            .ifPresent(quick -> context.attributes().setTries(quick.value()));
      }
      return property.execute();
    }
  }
}
