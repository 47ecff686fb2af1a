package dev.kafkasdk.topics;

/** How urgent a {@link Finding} is, from least to most. */
public enum Severity {
  /** Worth knowing; no change needed if it was intended. */
  INFO,
  /** Risky: data loss, outage or wasted resources are possible under common conditions. */
  WARNING,
  /** Broken or about to break: writes fail, data can be lost, or a limit will be hit. */
  CRITICAL
}
