package dev.kafkasdk.examples;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The orders topic's value deserializer: strict UTF-8 text that must parse as an {@link Order}.
 * Rejecting poison records here, rather than in the handler, makes each one a unit of its own in
 * the runner: it is dead-lettered alone and never fails (and dead-letters) a batch of valid orders.
 */
final class OrderValueDeserializer implements Deserializer<String> {

  @Override
  public String deserialize(String topic, byte[] data) {
    if (data == null) {
      throw new SerializationException("not an order: null value in " + topic);
    }
    String value;
    try {
      value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(data))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SerializationException("not an order: value is not UTF-8 text", e);
    }
    try {
      Order.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(e.getMessage(), e);
    }
    return value;
  }
}
