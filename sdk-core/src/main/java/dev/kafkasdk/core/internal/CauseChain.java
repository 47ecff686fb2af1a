package dev.kafkasdk.core.internal;

import java.util.function.Predicate;

/**
 * Walks an error's cause chain, the one place that bounds how deep the SDK looks: a chain may be
 * long or, through a faulty {@code initCause}, circular.
 */
public final class CauseChain {
  /** How many links of a chain are looked at, the error itself included. */
  public static final int MAX_DEPTH = 16;

  private CauseChain() {}

  /**
   * Returns the first link of the chain, the error itself first, that passes the test.
   *
   * @param error the error, or null
   * @param test what is looked for
   * @return the first matching link within {@link #MAX_DEPTH}, or null
   */
  public static Throwable first(Throwable error, Predicate<Throwable> test) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      if (test.test(t)) {
        return t;
      }
    }
    return null;
  }
}
