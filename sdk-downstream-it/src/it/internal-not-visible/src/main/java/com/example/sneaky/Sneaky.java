package com.example.sneaky;

import dev.kafkasdk.producer.internal.ProducerSettings;

/** Reaches into the SDK's implementation, which module-info.java does not export. */
public final class Sneaky {
  public static String describe(ProducerSettings settings) {
    return settings.toString();
  }

  private Sneaky() {}
}
