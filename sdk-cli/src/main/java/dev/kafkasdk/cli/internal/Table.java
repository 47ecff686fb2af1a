package dev.kafkasdk.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A table for people: a header row and left-aligned columns separated by two spaces, like {@code
 * kafka-consumer-groups.sh}. Numbers are right-aligned. An empty table prints its header and the
 * {@linkplain #emptyText(String) empty text}.
 */
public final class Table {
  private final List<String> header;
  private final List<Object[]> rows = new ArrayList<>();
  private String emptyText = "(none)";

  private Table(List<String> header) {
    this.header = header;
  }

  /**
   * Starts a table.
   *
   * @param columns the column headings, for example {@code TOPIC}, {@code PARTITION}
   * @return the table
   */
  public static Table of(String... columns) {
    return new Table(List.of(columns));
  }

  /**
   * Adds a row.
   *
   * @param values one per column; null prints as {@code -}
   * @return this table
   * @throws IllegalArgumentException if the count differs from the column count
   */
  public Table row(Object... values) {
    if (values.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values for " + header.size() + " columns");
    }
    rows.add(values.clone());
    return this;
  }

  /**
   * Sets the line printed under the header when there are no rows.
   *
   * @param text for example {@code (no findings)}
   * @return this table
   */
  public Table emptyText(String text) {
    this.emptyText = Objects.requireNonNull(text, "text");
    return this;
  }

  /**
   * The number of rows.
   *
   * @return the count
   */
  public int size() {
    return rows.size();
  }

  /**
   * Prints the table.
   *
   * @param out where to print
   */
  public void print(PrintWriter out) {
    int[] widths = header.stream().mapToInt(String::length).toArray();
    boolean[] numeric = new boolean[header.size()];
    Arrays.fill(numeric, !rows.isEmpty());
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], cell(row[i]).length());
        numeric[i] &= row[i] == null || row[i] instanceof Number;
      }
    }
    out.println(line(header.toArray(), widths, new boolean[header.size()]));
    for (Object[] row : rows) {
      out.println(line(row, widths, numeric));
    }
    if (rows.isEmpty()) {
      out.println(emptyText);
    }
  }

  private static String line(Object[] values, int[] widths, boolean[] rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      String cell = cell(values[i]);
      boolean last = i == values.length - 1;
      if (rightAligned[i]) {
        line.append(" ".repeat(widths[i] - cell.length())).append(cell);
      } else {
        line.append(cell);
        if (!last) {
          line.append(" ".repeat(widths[i] - cell.length()));
        }
      }
      if (!last) {
        line.append("  ");
      }
    }
    return line.toString().stripTrailing();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Double d) {
      return Json.number(d);
    }
    return String.valueOf(value);
  }
}
