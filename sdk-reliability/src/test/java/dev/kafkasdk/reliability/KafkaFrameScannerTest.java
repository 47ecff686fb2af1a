package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The proxy's framing parser, on hand-made byte streams cut into chunks of every size. */
class KafkaFrameScannerTest {

  /** What the visitor saw of one request frame. */
  private record Seen(short apiKey, int correlationId, int size) {}

  @Test
  void findsEveryRequestHeaderWhateverTheChunking() {
    List<Seen> expected = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      short apiKey = (short) random.nextInt(70);
      int bodyAfterHeader = random.nextInt(300);
      byte[] frame = request(apiKey, i * 3, bodyAfterHeader);
      stream.writeBytes(frame);
      expected.add(new Seen(apiKey, i * 3, frame.length - 4));
    }
    byte[] bytes = stream.toByteArray();

    for (int maxChunk : new int[] {1, 2, 3, 5, 8, 13, 64, 1000, bytes.length}) {
      List<Seen> seen = new ArrayList<>();
      KafkaFrameScanner scanner = new KafkaFrameScanner(KafkaFrameScanner.REQUEST_HEADER);
      Random chunks = new Random(maxChunk);
      for (int offset = 0; offset < bytes.length; ) {
        int length = Math.min(bytes.length - offset, 1 + chunks.nextInt(maxChunk));
        int cut =
            scanner.scan(
                bytes,
                offset,
                length,
                (header, size) -> {
                  seen.add(new Seen(header.getShort(0), header.getInt(4), size));
                  return false;
                });
        assertThat(cut).isEqualTo(-1);
        offset += length;
      }
      assertThat(seen).as("chunks of up to %d bytes", maxChunk).isEqualTo(expected);
    }
  }

  @Test
  void cutsAtTheStartOfTheChosenFrameAndForwardsTheFramesBefore() {
    byte[] first = response(1, 10);
    byte[] second = response(2, 10);
    byte[] both = concat(first, second);
    KafkaFrameScanner scanner = new KafkaFrameScanner(KafkaFrameScanner.RESPONSE_HEADER);

    int cut = scanner.scan(both, 0, both.length, (header, size) -> header.getInt(0) == 2);

    assertThat(cut).as("everything of frame 1 may go, nothing of frame 2").isEqualTo(first.length);
  }

  @Test
  void cutsAtTheChunkStartWhenTheChosenFrameBeganInAnEarlierChunk() {
    byte[] frame = response(9, 20);
    KafkaFrameScanner scanner = new KafkaFrameScanner(KafkaFrameScanner.RESPONSE_HEADER);
    KafkaFrameScanner.Visitor cutNine = (header, size) -> header.getInt(0) == 9;

    assertThat(scanner.scan(frame, 0, 6, cutNine)).as("header incomplete").isEqualTo(-1);
    int cut = scanner.scan(frame, 6, frame.length - 6, cutNine);

    assertThat(cut).isEqualTo(6);
  }

  @Test
  void seesShortAndEmptyFramesWithTheBytesTheyHave() {
    ByteBuffer stream = ByteBuffer.allocate(4 + 4 + 2 + 4 + 8);
    stream.putInt(0); // an empty frame
    stream.putInt(2).putShort((short) 5); // shorter than a request header
    stream.putInt(8).putShort((short) 0).putShort((short) 9).putInt(77); // a full header, no body
    List<Integer> headerLengths = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    KafkaFrameScanner scanner = new KafkaFrameScanner(KafkaFrameScanner.REQUEST_HEADER);

    int cut =
        scanner.scan(
            stream.array(),
            0,
            stream.capacity(),
            (header, size) -> {
              headerLengths.add(header.remaining());
              sizes.add(size);
              return false;
            });

    assertThat(cut).isEqualTo(-1);
    assertThat(headerLengths).containsExactly(0, 2, 8);
    assertThat(sizes).containsExactly(0, 2, 8);
  }

  @Test
  void rejectsANegativeSizeAndAnyUseAfterACut() {
    byte[] garbage = ByteBuffer.allocate(4).putInt(-5).array();
    assertThatThrownBy(
            () ->
                new KafkaFrameScanner(KafkaFrameScanner.REQUEST_HEADER)
                    .scan(garbage, 0, 4, (h, s) -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("negative frame size");

    KafkaFrameScanner scanner = new KafkaFrameScanner(KafkaFrameScanner.RESPONSE_HEADER);
    byte[] frame = response(1, 0);
    assertThat(scanner.scan(frame, 0, frame.length, (h, s) -> true)).isZero();
    assertThatThrownBy(() -> scanner.scan(frame, 0, frame.length, (h, s) -> false))
        .isInstanceOf(IllegalStateException.class);
  }

  /** A request frame: size, api key, api version 9, correlation id, then filler. */
  static byte[] request(short apiKey, int correlationId, int bodyAfterHeader) {
    ByteBuffer frame = ByteBuffer.allocate(4 + 8 + bodyAfterHeader);
    frame.putInt(8 + bodyAfterHeader).putShort(apiKey).putShort((short) 9).putInt(correlationId);
    while (frame.hasRemaining()) {
      frame.put((byte) 0x5a);
    }
    return frame.array();
  }

  /** A response frame: size, correlation id, then filler. */
  static byte[] response(int correlationId, int bodyAfterHeader) {
    ByteBuffer frame = ByteBuffer.allocate(4 + 4 + bodyAfterHeader);
    frame.putInt(4 + bodyAfterHeader).putInt(correlationId);
    while (frame.hasRemaining()) {
      frame.put((byte) 0x3c);
    }
    return frame.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
