package dev.kafkasdk.reliability;

import java.nio.ByteBuffer;

/**
 * Finds the frames of one direction of a Kafka connection in a byte stream that arrives in chunks
 * of any size. Every Kafka request and response is a 4-byte big-endian size followed by that many
 * bytes; a request's first bytes are its api key (int16), api version (int16) and correlation id
 * (int32), a response's first bytes its correlation id (int32). The scanner hands the first {@code
 * headerLength} bytes of each frame to a {@link Visitor}, which may cut the stream at the start of
 * that frame. Not thread-safe: one scanner per direction of one connection.
 */
final class KafkaFrameScanner {

  /** Bytes of a request frame that name it: api key, api version, correlation id. */
  static final int REQUEST_HEADER = 8;

  /** Bytes of a response frame that name it: the correlation id. */
  static final int RESPONSE_HEADER = 4;

  /** Looks at the start of each frame. */
  @FunctionalInterface
  interface Visitor {
    /**
     * Called once per frame, as soon as its first bytes have arrived.
     *
     * @param header the frame's first {@code min(headerLength, size)} bytes, big-endian, read-only
     * @param size the frame's size (without the 4-byte size prefix)
     * @return true to cut the stream at the start of this frame
     */
    boolean frame(ByteBuffer header, int size);
  }

  private final int headerLength;
  private final byte[] sizeBytes = new byte[4];
  private final byte[] header;
  private int sizeFilled;
  private int size;
  private int headerWanted;
  private int headerFilled;
  private long bodyLeft;
  private boolean cut;

  /**
   * Creates a scanner.
   *
   * @param headerLength how many bytes of each frame the visitor sees, e.g. {@link #REQUEST_HEADER}
   */
  KafkaFrameScanner(int headerLength) {
    if (headerLength < 0) {
      throw new IllegalArgumentException("headerLength must not be negative, was " + headerLength);
    }
    this.headerLength = headerLength;
    this.header = new byte[headerLength];
  }

  /**
   * Scans the next chunk of the stream.
   *
   * @param chunk the bytes
   * @param offset where the chunk starts in the array
   * @param length how many bytes it has
   * @param visitor sees each frame whose header completes in this chunk
   * @return the index in {@code chunk} at which the stream must be cut (bytes before it may still
   *     be forwarded), or -1 to forward the whole chunk. A frame that began in an earlier chunk is
   *     cut at {@code offset}: its first bytes have already gone.
   * @throws IllegalStateException if a frame size is negative (not a Kafka stream), or if called
   *     again after a cut
   */
  int scan(byte[] chunk, int offset, int length, Visitor visitor) {
    if (cut) {
      throw new IllegalStateException("the stream was cut; this scanner is done");
    }
    int frameStart = sizeFilled == 0 && headerFilled == 0 && bodyLeft == 0 ? offset : -1;
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (bodyLeft > 0) {
        int skip = (int) Math.min(bodyLeft, end - i);
        bodyLeft -= skip;
        i += skip;
        continue;
      }
      if (sizeFilled < 4) {
        if (sizeFilled == 0) {
          frameStart = i;
        }
        sizeBytes[sizeFilled++] = chunk[i++];
        if (sizeFilled == 4) {
          size = ByteBuffer.wrap(sizeBytes).getInt();
          if (size < 0) {
            throw new IllegalStateException("negative frame size " + size + ": not a Kafka stream");
          }
          headerWanted = Math.min(headerLength, size);
          headerFilled = 0;
          if (headerWanted == 0 && frameDone(visitor)) {
            return cutAt(frameStart, offset);
          }
        }
        continue;
      }
      int take = Math.min(headerWanted - headerFilled, end - i);
      System.arraycopy(chunk, i, header, headerFilled, take);
      headerFilled += take;
      i += take;
      if (headerFilled == headerWanted && frameDone(visitor)) {
        return cutAt(frameStart, offset);
      }
    }
    return -1;
  }

  /** Tells the visitor about the frame whose header is complete and moves on to its body. */
  private boolean frameDone(Visitor visitor) {
    boolean cutHere =
        visitor.frame(ByteBuffer.wrap(header, 0, headerWanted).slice().asReadOnlyBuffer(), size);
    bodyLeft = (long) size - headerWanted;
    sizeFilled = 0;
    headerFilled = 0;
    return cutHere;
  }

  private int cutAt(int frameStart, int offset) {
    cut = true;
    return frameStart >= 0 ? frameStart : offset;
  }
}
