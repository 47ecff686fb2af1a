package dev.kafkasdk.consumer.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names of the runners running in this JVM. Two runners with the same name would share meters (and
 * one's close would remove the other's) and clash on client ids, so a second runner asking for a
 * name in use gets a numbered one.
 */
final class RunnerNames {
  private static final Set<String> ACTIVE = ConcurrentHashMap.newKeySet();

  private RunnerNames() {}

  /**
   * Returns {@code base}, or {@code base-2}, {@code base-3}, ... if taken; the caller must release
   * it.
   */
  static String claim(String base) {
    if (ACTIVE.add(base)) {
      return base;
    }
    for (int i = 2; ; i++) {
      String candidate = base + "-" + i;
      if (ACTIVE.add(candidate)) {
        return candidate;
      }
    }
  }

  static void release(String name) {
    ACTIVE.remove(name);
  }
}
