package dev.kafkasdk.consumer.internal;

import java.util.Arrays;

/**
 * A record key's bytes as a hash-map key for key lanes: equal bytes, equal key. The hash is
 * computed once; unlike a wrapping {@code ByteBuffer} it costs one small object and no buffer
 * state, which matters because the poll thread builds one per polled record.
 */
final class LaneKey {
  /** The lane of records without a key: they are ordered among themselves. */
  static final Object NULL_KEY = new Object();

  private final byte[] bytes;
  private final int hash;

  private LaneKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The lane key of a record key; records without a key share {@link #NULL_KEY}. */
  static Object of(byte[] key) {
    return key == null ? NULL_KEY : new LaneKey(key);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LaneKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "key of " + bytes.length + " bytes";
  }
}
