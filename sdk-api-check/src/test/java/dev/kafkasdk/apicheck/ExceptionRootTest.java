package dev.kafkasdk.apicheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.core.KafkaSdkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every public exception of the published modules extends the SDK's one root. */
class ExceptionRootTest {
  /**
   * Public throwables that may not extend {@link KafkaSdkException}, each with the reason (see
   * ARCHITECTURE.md, "Module boundary"). None today.
   */
  private static final Set<String> EXCEPTIONS_OUTSIDE_THE_ROOT = Set.of();

  @Test
  void everyPublicExceptionExtendsKafkaSdkException() {
    List<String> outside = new ArrayList<>();
    int exceptions = 0;
    for (PublishedModule module : PublishedModule.values()) {
      for (Class<?> type : ApiSignatures.types(module)) {
        if (Throwable.class.isAssignableFrom(type) && type != KafkaSdkException.class) {
          exceptions++;
          if (!KafkaSdkException.class.isAssignableFrom(type)
              && !EXCEPTIONS_OUTSIDE_THE_ROOT.contains(type.getName())) {
            outside.add(type.getName());
          }
        }
      }
    }
    assertThat(exceptions).as("public exception types found").isGreaterThanOrEqualTo(9);
    assertThat(outside).as("public exceptions that do not extend KafkaSdkException").isEmpty();
    assertThat(RuntimeException.class).isAssignableFrom(KafkaSdkException.class);
  }
}
