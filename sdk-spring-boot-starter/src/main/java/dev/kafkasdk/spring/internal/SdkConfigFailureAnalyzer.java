package dev.kafkasdk.spring.internal;

import dev.kafkasdk.core.SdkConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link SdkConfigException} that stopped the application's start into Spring Boot's
 * "APPLICATION FAILED TO START" report: the description is the SDK's setting and problem (and the
 * producer or runner it belongs to), the action is the SDK's fix. Registered in {@code
 * META-INF/spring.factories}.
 */
public final class SdkConfigFailureAnalyzer extends AbstractFailureAnalyzer<SdkConfigException> {

  /** Created by Spring Boot's failure analysis. */
  public SdkConfigFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SdkConfigException cause) {
    ClientConfigurationException client =
        findCause(rootFailure, ClientConfigurationException.class);
    String where =
        client == null
            ? "A Kafka SDK setting is invalid"
            : "The Kafka SDK "
                + client.client()
                + " configured by "
                + client.propertyPrefix()
                + ".* is invalid";
    return new FailureAnalysis(where + ":\n\n    " + problem(cause), cause.fix(), cause);
  }

  /** The exception's message without its fix, which becomes the action. */
  static String problem(SdkConfigException cause) {
    String message = cause.getMessage();
    String fix = ". Fix: " + cause.fix();
    return message.endsWith(fix) ? message.substring(0, message.length() - fix.length()) : message;
  }
}
