package dev.kafkasdk.consumer.internal;

import io.micrometer.observation.ObservationRegistry;
import java.util.Optional;

/**
 * What the runner adds around each handler call: a process observation (only with a registry that
 * is not a no-op) and the MDC entries.
 *
 * @param observations where process observations go, or empty for none
 * @param mdc whether each call sets the MDC entries of {@code HandlerMdc}
 * @param includeKey whether the record's key goes into the observation and the MDC
 */
public record HandlerTelemetry(
    Optional<ObservationRegistry> observations, boolean mdc, boolean includeKey) {

  /**
   * Drops a no-op registry, so that it costs what no registry costs.
   *
   * @param observations the registry, or empty
   * @param mdc whether to set MDC entries
   * @param includeKey whether the key is included
   */
  public HandlerTelemetry {
    observations = observations.filter(registry -> !registry.isNoop());
  }

  /**
   * Tells whether anything is added around a call; if not, the handler is called directly.
   *
   * @return true if observations or MDC entries are on
   */
  public boolean on() {
    return observations.isPresent() || mdc;
  }
}
