package com.example.inventory;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.core.KafkaSdkException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.topics.TopicSpec;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs on the module path without a broker: checks that the SDK jars are named modules that export
 * only their root packages, and that the clients build (a Kafka producer is created; nothing
 * connects until a record is sent).
 */
public final class ModularApp {
  private static final String NOWHERE = "localhost:9";

  public static void main(String[] args) {
    check(ModularApp.class.getModule().isNamed(), "the application runs as a named module");
    Map<String, Module> sdk =
        Map.of(
            "dev.kafkasdk.core", KafkaSdkException.class.getModule(),
            "dev.kafkasdk.producer", ReliableProducer.class.getModule(),
            "dev.kafkasdk.consumer", ConsumerRunner.class.getModule(),
            "dev.kafkasdk.topics", TopicSpec.class.getModule());
    for (Map.Entry<String, Module> e : sdk.entrySet()) {
      Module module = e.getValue();
      check(module.isNamed() && module.getName().equals(e.getKey()), "module " + e.getKey());
      check(module.isExported(e.getKey()), e.getKey() + " exports its root package");
      check(
          !module.isExported(e.getKey() + ".internal", ModularApp.class.getModule()),
          e.getKey() + " does not export its internal package to applications");
    }

    // Kafka's types come through the SDK's "requires transitive": no "requires kafka.clients" here.
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(NOWHERE)
            .build()) {
      check(producer != null, "a ReliableProducer builds");
    }
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(NOWHERE)
            .groupId("inventory")
            .topics(List.of("stock"))
            .handler(record -> {})
            .build()) {
      check(runner != null, "a ConsumerRunner builds");
    }
    try {
      TopicSpec.builder("stock").partitions(0).build();
      check(false, "an invalid TopicSpec is refused");
    } catch (KafkaSdkException expected) {
      check(true, "an invalid TopicSpec is refused with a KafkaSdkException");
    }
    System.out.println("MODULE-PATH CHECK PASSED");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("module-path check failed: " + what);
    }
  }

  private ModularApp() {}
}
