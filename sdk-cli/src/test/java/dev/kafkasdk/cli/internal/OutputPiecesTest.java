package dev.kafkasdk.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Table, JSON writer, progress bar and duration option: the pieces every command prints with. */
class OutputPiecesTest {

  @Test
  void tableAlignsTextLeftAndNumbersRight() {
    StringWriter text = new StringWriter();
    Table.of("TOPIC", "PARTITION", "LAG")
        .row("orders", 0, 12L)
        .row("payments-eu", 10, null)
        .print(new PrintWriter(text, true));
    assertThat(text.toString().lines())
        .containsExactly(
            "TOPIC        PARTITION  LAG",
            "orders               0   12",
            "payments-eu         10    -");
  }

  @Test
  void anEmptyTablePrintsItsHeaderAndTheEmptyText() {
    StringWriter text = new StringWriter();
    Table.of("A", "B").emptyText("(no findings)").print(new PrintWriter(text, true));
    assertThat(text.toString().lines()).containsExactly("A  B", "(no findings)");
  }

  /** Whatever strings go in, the JSON is valid and reads back to the same values. */
  @Property(tries = 300)
  void jsonReadsBackAsWritten(@ForAll String key, @ForAll String value, @ForAll long number)
      throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("k", key);
    doc.put("nested", Map.of("v", value));
    doc.put("n", number);
    List<Object> list = new ArrayList<>();
    list.add(value);
    list.add(null);
    list.add(true);
    doc.put("list", list);
    doc.put("missing", Optional.empty());
    var read = new ObjectMapper().readTree(Json.write(doc));
    assertThat(read.get("k").asText()).isEqualTo(key);
    assertThat(read.get("nested").get("v").asText()).isEqualTo(value);
    assertThat(read.get("n").asLong()).isEqualTo(number);
    assertThat(read.get("list").get(0).asText()).isEqualTo(value);
    assertThat(read.get("list").get(1).isNull()).isTrue();
    assertThat(read.get("missing").isNull()).isTrue();
  }

  @Test
  void doublesPrintWithoutNoise() {
    assertThat(Json.write(List.of(12.0, 1250.5, 0.1))).isEqualTo("[\n  12,\n  1250.5,\n  0.1\n]");
  }

  @Test
  void progressBarDrawsInPlaceAtMostEveryHundredMillisAndEndsTheLine() {
    StringWriter text = new StringWriter();
    AtomicLong nanos = new AtomicLong();
    try (ProgressBar bar =
        new ProgressBar(new PrintWriter(text, true), "replaying", 1024, true, nanos::get)) {
      bar.advance(512);
      bar.advance(1); // same instant: not drawn
      nanos.addAndGet(100_000_000L);
      bar.advance(1);
    }
    assertThat(text.toString())
        .isEqualTo(
            "\rreplaying [##########----------] 512/1024 (50%)"
                + "\rreplaying [##########----------] 514/1024 (50%)"
                + "\rreplaying [##########----------] 514/1024 (50%)"
                + System.lineSeparator());
  }

  @Test
  void aDisabledProgressBarPrintsNothingAndStillCounts() {
    StringWriter text = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(text, true), "x", 0, false)) {
      bar.advance(3);
      assertThat(bar.done()).isEqualTo(3);
      assertThat(bar.render(3)).isEqualTo("x 3");
    }
    assertThat(text.toString()).isEmpty();
  }

  @Test
  void durationsReadTheUsualUnits() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("500ms").toMillis()).isEqualTo(500);
    assertThat(converter.convert("30s").toSeconds()).isEqualTo(30);
    assertThat(converter.convert("2m").toSeconds()).isEqualTo(120);
    assertThat(converter.convert("PT1H").toHours()).isEqualTo(1);
    for (String bad : List.of("0s", "-1s", "soon", "5x", "")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert(bad))
          .as(bad)
          .isInstanceOf(picocli.CommandLine.TypeConversionException.class);
    }
  }
}
