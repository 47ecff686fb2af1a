package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.producer.ProducerBuilder;
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
   * Drops {@link ObservationRegistry#NOOP}, so that it costs what no registry costs. A registry
   * that has no handlers yet is kept: the application may add them after building the runner, and
   * until then each call's observation is the no-op one (Micrometer checks per call).
   *
   * @param observations the registry, or empty
   * @param mdc whether to set MDC entries
   * @param includeKey whether the key is included
   */
  public HandlerTelemetry {
    observations = observations.filter(registry -> registry != ObservationRegistry.NOOP);
  }

  /**
   * Gives a producer the runner makes (dead letters, exactly-once outputs) the runner's registry
   * and key setting, so its sends are observed like the handler calls; nothing without a registry.
   *
   * @param builder the producer's builder
   */
  void observeSends(ProducerBuilder<?, ?, ?> builder) {
    observations.ifPresent(
        registry -> builder.observationRegistry(registry).observeMessageKeys(includeKey));
  }
}
