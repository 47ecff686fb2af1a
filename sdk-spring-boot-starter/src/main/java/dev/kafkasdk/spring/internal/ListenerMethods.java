package dev.kafkasdk.spring.internal;

import dev.kafkasdk.spring.KafkaSdkListener;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** Finds the {@link KafkaSdkListener} methods of a class (meta-annotations included). */
final class ListenerMethods {
  private ListenerMethods() {}

  /**
   * Calls {@code action} for each annotated method of {@code type} and its superclasses and
   * interfaces.
   *
   * @param type the bean's class (the target class of a proxy)
   * @param action gets each method and its merged annotation
   * @return whether there was any
   */
  static boolean forEach(Class<?> type, BiConsumer<Method, KafkaSdkListener> action) {
    Map<Method, KafkaSdkListener> methods =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<KafkaSdkListener>)
                method ->
                    AnnotatedElementUtils.findMergedAnnotation(method, KafkaSdkListener.class));
    methods.forEach(action);
    return !methods.isEmpty();
  }
}
