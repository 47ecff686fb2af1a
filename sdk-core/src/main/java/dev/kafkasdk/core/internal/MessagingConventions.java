package dev.kafkasdk.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The names the SDK's observations (traces) use, shared by the producer and the consumer so both
 * ends of a topic describe a record the same way. They follow OpenTelemetry's semantic conventions
 * for messaging and for Kafka (<a
 * href="https://opentelemetry.io/docs/specs/semconv/messaging/kafka/">semconv: Kafka</a>) and are
 * documented as a stable set in {@code docs/observability.md}: changing one is a breaking change
 * for users' dashboards and trace queries.
 */
public final class MessagingConventions {
  private MessagingConventions() {}

  /** Observation name of a producer send. */
  public static final String SEND_OBSERVATION = "ksdk.send";

  /** Observation name of a consumer handler call. */
  public static final String PROCESS_OBSERVATION = "ksdk.process";

  /** Low cardinality: always {@value #KAFKA}. */
  public static final String SYSTEM = "messaging.system";

  /** The value of {@link #SYSTEM}. */
  public static final String KAFKA = "kafka";

  /** Low cardinality: {@value #SEND} or {@value #PROCESS}. */
  public static final String OPERATION_NAME = "messaging.operation.name";

  /** Low cardinality: {@value #SEND} or {@value #PROCESS}. */
  public static final String OPERATION_TYPE = "messaging.operation.type";

  /** Operation name and type of a producer send. */
  public static final String SEND = "send";

  /** Operation name and type of a consumer handler call. */
  public static final String PROCESS = "process";

  /** Low cardinality: the topic. */
  public static final String DESTINATION_NAME = "messaging.destination.name";

  /** High cardinality: the partition number, when known. */
  public static final String PARTITION = "messaging.destination.partition.id";

  /** High cardinality: the record's offset, when known. */
  public static final String OFFSET = "messaging.kafka.offset";

  /** High cardinality: the Kafka {@code client.id}. */
  public static final String CLIENT_ID = "messaging.client.id";

  /** High cardinality, opt-in only (keys can be personal data): the record's key as text. */
  public static final String MESSAGE_KEY = "messaging.kafka.message.key";

  /** High cardinality (consumer side): the consumer group. */
  public static final String CONSUMER_GROUP = "messaging.consumer.group.name";

  /**
   * The span (contextual) name of an operation on a topic, {@code "<operation> <topic>"}, e.g.
   * {@code "send orders"}.
   *
   * @param operation {@link #SEND} or {@link #PROCESS}
   * @param topic the topic
   * @return the name
   */
  public static String spanName(String operation, String topic) {
    return operation + " " + topic;
  }

  /**
   * A record key as the text of {@link #MESSAGE_KEY}: strings as they are, {@code byte[]} and
   * {@link ByteBuffer} keys decoded as UTF-8, anything else by {@code toString()}.
   *
   * @param key the key, may be null
   * @return the text, or null for a null key (the key is then not recorded)
   */
  public static String keyText(Object key) {
    if (key == null) {
      return null;
    }
    if (key instanceof String s) {
      return s;
    }
    if (key instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (key instanceof ByteBuffer buffer) {
      return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
    return key.toString();
  }
}
