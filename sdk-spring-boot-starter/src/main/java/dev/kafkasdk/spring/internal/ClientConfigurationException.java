package dev.kafkasdk.spring.internal;

import dev.kafkasdk.core.SdkConfigException;

/**
 * Says which configured client an {@link SdkConfigException} belongs to, so the failure analyzer
 * can point at its {@code kafkasdk.*} properties; the SDK's exception stays the cause.
 */
public final class ClientConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String client;
  private final String propertyPrefix;

  ClientConfigurationException(String client, String propertyPrefix, SdkConfigException cause) {
    super(client + " (" + propertyPrefix + ".*): " + cause.getMessage(), cause);
    this.client = client;
    this.propertyPrefix = propertyPrefix;
  }

  /** The client, for example {@code runner 'orders'}. */
  String client() {
    return client;
  }

  /** Where its properties are, for example {@code kafkasdk.runners.orders}. */
  String propertyPrefix() {
    return propertyPrefix;
  }
}
