package dev.kafkasdk.test.internal;

import org.apache.kafka.common.utils.internals.Exit;

/**
 * Stops broker code from terminating the test JVM: Kafka's {@code Exit.exit} and {@code Exit.halt}
 * throw instead, so a broker fault shows up as a failed test, not a vanished JVM.
 */
final class ExitGuard {
  private static boolean installed;

  private ExitGuard() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Exit.setExitProcedure(
        (code, message) -> {
          throw new IllegalStateException(
              "embedded Kafka called Exit.exit(" + code + "): " + message);
        });
    Exit.setHaltProcedure(
        (code, message) -> {
          throw new IllegalStateException(
              "embedded Kafka called Exit.halt(" + code + "): " + message);
        });
    installed = true;
  }
}
