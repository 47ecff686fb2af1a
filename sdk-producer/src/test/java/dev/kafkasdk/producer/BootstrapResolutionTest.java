package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.BootstrapResolutionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * kafka-clients 4.4's {@code bootstrap.resolve.timeout.ms}: when the bootstrap servers never
 * resolve, every call after the timeout throws {@code BootstrapResolutionException} until the
 * client is closed and re-created. The SDK reports it as {@code CONFIGURATION} (fix {@code
 * bootstrap.servers} or DNS) and replaces the producer, so the next send starts resolving afresh.
 * No broker: the host name cannot resolve ({@code .invalid}, RFC 2606).
 */
class BootstrapResolutionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void anUnresolvableBootstrapIsConfigurationAndTheProducerIsReplaced() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers("no-such-host.invalid:9092")
            .property("bootstrap.resolve.timeout.ms", 1_000)
            // Shorter than the resolution timeout: a producer's first send times out waiting for
            // metadata before its resolution gives up.
            .property("max.block.ms", 200)
            .meterRegistry(registry)
            .build()) {
      ProducerRecord<String, String> record = new ProducerRecord<>("t", "k", "v");

      // Sends time out (RETRIABLE) until the resolution timeout has passed; then the producer
      // throws the resolution failure from every call.
      ProducerSendException failure = null;
      for (int i = 0; i < 30 && failure == null; i++) {
        ProducerSendException e =
            catchThrowableOfType(
                ProducerSendException.class, () -> producer.sendAndWait(record, WAIT));
        if (e.getCause() instanceof BootstrapResolutionException) {
          failure = e;
        } else {
          assertThat(e.category()).isEqualTo(ErrorCategory.RETRIABLE);
          assertThat(e).hasCauseInstanceOf(TimeoutException.class);
        }
      }
      assertThat(failure).as("the resolution failure reached the caller").isNotNull();
      // Fix the configuration; and the SDK replaced the producer (Kafka's own advice: close and
      // re-create the client).
      assertThat(failure.category()).isEqualTo(ErrorCategory.CONFIGURATION);
      assertThat(
              registry
                  .get(ProducerMeters.RECREATED)
                  .tag(ProducerMeters.TAG_REASON, "bootstrap-resolution")
                  .counter()
                  .count())
          .isEqualTo(1);

      // The next send goes to a fresh producer, which resolves afresh: a metadata timeout, not
      // the old producer's final error.
      ProducerSendException next =
          catchThrowableOfType(
              ProducerSendException.class, () -> producer.sendAndWait(record, WAIT));
      assertThat(next.category()).isEqualTo(ErrorCategory.RETRIABLE);
      assertThat(next).hasCauseInstanceOf(TimeoutException.class);
    }
  }
}
