package dev.kafkasdk.producer.internal;

import static dev.kafkasdk.core.internal.MessagingConventions.CLIENT_ID;
import static dev.kafkasdk.core.internal.MessagingConventions.DESTINATION_NAME;
import static dev.kafkasdk.core.internal.MessagingConventions.KAFKA;
import static dev.kafkasdk.core.internal.MessagingConventions.MESSAGE_KEY;
import static dev.kafkasdk.core.internal.MessagingConventions.OFFSET;
import static dev.kafkasdk.core.internal.MessagingConventions.OPERATION_NAME;
import static dev.kafkasdk.core.internal.MessagingConventions.OPERATION_TYPE;
import static dev.kafkasdk.core.internal.MessagingConventions.PARTITION;
import static dev.kafkasdk.core.internal.MessagingConventions.SEND;
import static dev.kafkasdk.core.internal.MessagingConventions.SEND_OBSERVATION;
import static dev.kafkasdk.core.internal.MessagingConventions.SYSTEM;

import dev.kafkasdk.core.internal.MessagingConventions;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Starts and stops the Micrometer observation ({@code ksdk.send}) of each send of one producer.
 * Exists only when the builder was given an {@code ObservationRegistry}: the send paths check for
 * null, so a producer without one allocates nothing and adds no header.
 *
 * <p>The observation's context is a {@link SenderContext} whose carrier is the record: a tracing
 * handler (Micrometer Tracing's {@code PropagatingSenderTracingObservationHandler}) injects the
 * span's context into the record's headers through its propagator, e.g. W3C {@code traceparent}. A
 * header of the same name already on the record is replaced, so a record forwarded from another
 * trace carries this send's context and not two.
 */
public final class SendObservations {
  /** Writes a propagation field as a UTF-8 header, replacing one of the same name. */
  static final Propagator.Setter<ProducerRecord<?, ?>> HEADER_SETTER =
      (record, name, value) -> {
        if (record != null) {
          Headers headers = record.headers();
          headers.remove(name);
          headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
      };

  private final ObservationRegistry registry;
  private final String clientId;
  private final boolean messageKeys;

  private SendObservations(ObservationRegistry registry, String clientId, boolean messageKeys) {
    this.registry = registry;
    this.clientId = clientId;
    this.messageKeys = messageKeys;
  }

  /**
   * Returns the observations of one producer, or null when there is nothing to observe with.
   *
   * @param registry the builder's registry, or null when none was given
   * @param clientId the Kafka {@code client.id}, recorded as {@code messaging.client.id}
   * @param messageKeys whether to record each record's key
   * @return the observations, or null if {@code registry} is null or {@link
   *     ObservationRegistry#NOOP}
   */
  public static SendObservations create(
      ObservationRegistry registry, String clientId, boolean messageKeys) {
    if (registry == null || registry == ObservationRegistry.NOOP) {
      return null;
    }
    return new SendObservations(registry, Objects.requireNonNull(clientId), messageKeys);
  }

  /**
   * Starts the observation of one send. The record sent is a copy of the given one with its own
   * headers: a tracing handler writes to them, and the caller's record may be shared, or have been
   * sent before, which makes Kafka's headers read-only.
   *
   * @param record the caller's record, not modified
   * @param <K> key type
   * @param <V> value type
   * @return the record to send and its started observation; null when the registry has no handler
   *     (nothing would see the observation), in which case the caller's record is sent as it is
   */
  public <K, V> ObservedSend<K, V> start(ProducerRecord<K, V> record) {
    if (registry.isNoop()) {
      return null;
    }
    ProducerRecord<K, V> carrier =
        new ProducerRecord<>(
            record.topic(),
            record.partition(),
            record.timestamp(),
            record.key(),
            record.value(),
            new RecordHeaders(record.headers().toArray()));
    SenderContext<ProducerRecord<?, ?>> context = new SenderContext<>(HEADER_SETTER, Kind.PRODUCER);
    context.setCarrier(carrier);
    context.setRemoteServiceName(KAFKA);
    Observation observation =
        Observation.createNotStarted(SEND_OBSERVATION, () -> context, registry)
            .contextualName(MessagingConventions.spanName(SEND, record.topic()))
            .lowCardinalityKeyValue(SYSTEM, KAFKA)
            .lowCardinalityKeyValue(OPERATION_NAME, SEND)
            .lowCardinalityKeyValue(OPERATION_TYPE, SEND)
            .lowCardinalityKeyValue(DESTINATION_NAME, record.topic())
            .highCardinalityKeyValue(CLIENT_ID, clientId);
    if (record.partition() != null) {
      observation.highCardinalityKeyValue(PARTITION, record.partition().toString());
    }
    if (messageKeys) {
      String key = MessagingConventions.keyText(record.key());
      if (key != null) {
        observation.highCardinalityKeyValue(MESSAGE_KEY, key);
      }
    }
    return new ObservedSend<>(carrier, observation.start());
  }

  /**
   * Stops a send's observation with what the broker answered.
   *
   * @param observation the observation {@link #start} returned
   * @param partition the partition the record went to, or -1 if unknown
   * @param offset the record's offset, or -1 if unknown (failed, or {@code acks=0})
   * @param error the failure, or null if the broker acknowledged the record
   */
  public static void stop(Observation observation, int partition, long offset, Throwable error) {
    if (partition >= 0) {
      observation.highCardinalityKeyValue(PARTITION, Integer.toString(partition));
    }
    if (offset >= 0) {
      observation.highCardinalityKeyValue(OFFSET, Long.toString(offset));
    }
    if (error != null) {
      observation.error(error);
    }
    observation.stop();
  }

  /**
   * A record to send and the observation of its send.
   *
   * @param record the copy that carries the trace headers
   * @param observation the started observation
   * @param <K> key type
   * @param <V> value type
   */
  public record ObservedSend<K, V>(ProducerRecord<K, V> record, Observation observation) {}
}
