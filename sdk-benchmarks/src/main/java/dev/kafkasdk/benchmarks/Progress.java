package dev.kafkasdk.benchmarks;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr, so stdout holds only the table and ratio lines. */
final class Progress {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Progress() {}

  static void say(String format, Object... args) {
    System.err.println("[" + LocalTime.now().format(TIME) + "] " + String.format(format, args));
  }
}
