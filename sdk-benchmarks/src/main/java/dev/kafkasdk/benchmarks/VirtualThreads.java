package dev.kafkasdk.benchmarks;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, reached by reflection: the module compiles
 * for Java 17, virtual threads need Java 21. Run the benchmarks on a newer JDK with {@code
 * JAVA_HOME=/path/to/jdk-21+ mvn ...}.
 */
final class VirtualThreads {
  private VirtualThreads() {}

  /** A factory of new virtual-thread-per-task executors, or empty on a JVM older than 21. */
  static Optional<Supplier<ExecutorService>> executor() {
    java.lang.reflect.Method factory;
    try {
      factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException olderThan21) {
      return Optional.empty();
    }
    return Optional.of(
        () -> {
          try {
            return (ExecutorService) factory.invoke(null);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread executor", e);
          }
        });
  }
}
