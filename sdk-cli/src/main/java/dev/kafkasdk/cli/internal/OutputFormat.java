package dev.kafkasdk.cli.internal;

/** What {@code --output} selects. */
public enum OutputFormat {
  /** Aligned columns and short sentences for people. */
  TABLE,
  /** One JSON document on standard output, for scripts; nothing else is printed there. */
  JSON
}
