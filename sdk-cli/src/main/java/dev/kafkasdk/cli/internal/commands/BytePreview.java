package dev.kafkasdk.cli.internal.commands;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A short, printable view of key, value and header bytes: the UTF-8 text when the bytes are
 * printable UTF-8, otherwise {@code 0x} and hex; at most a given number of bytes, then {@code ...}
 * and the full size.
 */
final class BytePreview {
  private BytePreview() {}

  /**
   * Previews bytes.
   *
   * @param bytes the bytes, may be null
   * @param maxBytes how many bytes to show at most
   * @return the preview, or null for null bytes
   */
  static String of(byte[] bytes, int maxBytes) {
    if (bytes == null) {
      return null;
    }
    byte[] shown = bytes.length > maxBytes ? Arrays.copyOf(bytes, maxBytes) : bytes;
    String suffix = bytes.length > maxBytes ? "... (" + bytes.length + " bytes)" : "";
    String text = printableText(shown, bytes.length > maxBytes);
    return (text != null ? text : "0x" + HexFormat.of().formatHex(shown)) + suffix;
  }

  private static String printableText(byte[] bytes, boolean cut) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      if (!cut) {
        return null;
      }
      // The cut may split a character: decode leniently and drop a trailing replacement.
      text = new String(bytes, StandardCharsets.UTF_8);
      if (text.endsWith("\uFFFD")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.indexOf('\uFFFD') >= 0) {
        return null;
      }
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return null;
      }
    }
    return text;
  }
}
