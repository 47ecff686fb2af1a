package dev.kafkasdk.spring.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.spring.KafkaSdkProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.BeanUtils;

/** The Kafka client properties of one configured client, and its serializer instances. */
final class ClientProperties {
  private final String bootstrapServers;
  private final Map<String, Object> merged;

  /** Shared {@code kafkasdk.properties} first, the client's own over them. */
  ClientProperties(KafkaSdkProperties shared, Map<String, String> own) {
    this.merged = new LinkedHashMap<>(shared.getProperties());
    merged.putAll(own);
    this.bootstrapServers = shared.getBootstrapServers();
  }

  /** The merged pass-through properties. */
  Map<String, Object> properties() {
    return merged;
  }

  /**
   * The shared bootstrap servers, unless the client's properties name their own (the builder would
   * otherwise see both).
   */
  String bootstrapServersUnlessOverridden() {
    return merged.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
        ? null
        : bootstrapServers;
  }

  /**
   * Instantiates a configured serializer or deserializer class and configures it as Kafka would a
   * class named in its properties.
   *
   * @param type the configured class
   * @param expected Serializer or Deserializer
   * @param configure its {@code configure(Map, boolean)}
   * @param isKey whether it is the key's
   * @param property the property naming it, for the error
   */
  <T> T serde(
      Class<?> type,
      Class<T> expected,
      BiConsumer<T, Boolean> configure,
      boolean isKey,
      String property) {
    if (!expected.isAssignableFrom(type)) {
      throw new SdkConfigException(
          property,
          type.getName() + " is not a " + expected.getName(),
          "name a class implementing " + expected.getName());
    }
    T instance;
    try {
      instance = expected.cast(BeanUtils.instantiateClass(type));
    } catch (BeanInstantiationException e) {
      throw new SdkConfigException(
          property,
          "cannot create " + type.getName() + ": " + e.getMessage(),
          "give it a public no-argument constructor, or supply an instance from a customizer bean");
    }
    configure.accept(instance, isKey);
    return instance;
  }
}
