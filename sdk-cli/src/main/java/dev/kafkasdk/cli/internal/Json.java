package dev.kafkasdk.cli.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal JSON writer for {@code --output json}: Maps (keys in their iteration order; use a
 * LinkedHashMap), Iterables, arrays of objects, CharSequences, Numbers, Booleans, Enums (their
 * name), Optionals (value or null) and null, indented by two spaces. Enough for results; no reader,
 * no library to shade.
 */
public final class Json {
  private Json() {}

  /**
   * Writes a value as a JSON document.
   *
   * @param value the value
   * @return the document, without a trailing newline
   * @throws IllegalArgumentException for a type it cannot write, or a non-finite number
   */
  public static String write(Object value) {
    StringBuilder json = new StringBuilder();
    write(json, value, 0);
    return json.toString();
  }

  /**
   * Prints a double without a trailing {@code .0} for whole numbers and without exponent for
   * ordinary magnitudes (the same text in tables and JSON).
   *
   * @param d the value
   * @return for example {@code 12}, {@code 1250.5}
   */
  public static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static void write(StringBuilder json, Object value, int depth) {
    if (value instanceof Optional<?> optional) {
      value = optional.orElse(null);
    }
    if (value == null) {
      json.append("null");
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(json, value.toString());
    } else if (value instanceof Enum<?> e) {
      string(json, e.name());
    } else if (value instanceof Boolean) {
      json.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      json.append(number(d));
    } else if (value instanceof Number) {
      json.append(value);
    } else if (value instanceof Map<?, ?> map) {
      object(json, map, depth);
    } else if (value instanceof Iterable<?> iterable) {
      array(json, iterable.iterator(), depth);
    } else if (value instanceof Object[] array) {
      array(json, java.util.Arrays.asList(array).iterator(), depth);
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void object(StringBuilder json, Map<?, ?> map, int depth) {
    if (map.isEmpty()) {
      json.append("{}");
      return;
    }
    json.append("{");
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      json.append(first ? "\n" : ",\n");
      first = false;
      indent(json, depth + 1);
      string(json, String.valueOf(entry.getKey()));
      json.append(": ");
      write(json, entry.getValue(), depth + 1);
    }
    json.append("\n");
    indent(json, depth);
    json.append("}");
  }

  private static void array(StringBuilder json, Iterator<?> items, int depth) {
    if (!items.hasNext()) {
      json.append("[]");
      return;
    }
    json.append("[");
    boolean first = true;
    while (items.hasNext()) {
      json.append(first ? "\n" : ",\n");
      first = false;
      indent(json, depth + 1);
      write(json, items.next(), depth + 1);
    }
    json.append("\n");
    indent(json, depth);
    json.append("]");
  }

  private static void indent(StringBuilder json, int depth) {
    json.append("  ".repeat(depth));
  }

  private static void string(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
