package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The selector against a small model: generated dead letters (SDK headers present, absent or
 * malformed, several exception names, a user header) and generated combinations of every criterion,
 * valid or contradictory. A valid selector chooses exactly the letters the model does; a
 * contradictory one fails in {@code build()}. Letters are parsed from real {@code ConsumerRecord}s,
 * so {@link DeadLetter}'s header parsing is under test too.
 */
class DeadLetterSelectorPropertiesTest {
  private static final List<String> EXCEPTIONS =
      List.of(
          "java.lang.IllegalStateException",
          "com.acme.Outer$IllegalStateException",
          "com.acme.TimeoutException",
          "java.util.concurrent.TimeoutException",
          "");
  private static final List<String> WANTED_EXCEPTIONS =
      List.of(
          "IllegalStateException",
          "java.lang.IllegalStateException",
          "TimeoutException",
          "com.acme.TimeoutException",
          "Outer$IllegalStateException",
          "Outer",
          "java.lang.RuntimeException");
  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger LETTERS = new AtomicInteger();
  private static final AtomicInteger REJECTED = new AtomicInteger();

  /** What a generated dead letter carries; null means the header is absent. */
  record Letter(
      long failureMillis,
      String topic,
      String partition,
      Long offset,
      String exception,
      String tenant) {
    DeadLetter toDeadLetter(int dltOffset) {
      RecordHeaders headers = new RecordHeaders();
      put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, topic);
      put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, partition);
      put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, offset == null ? null : offset.toString());
      put(headers, DeadLetterHeaders.EXCEPTION_CLASS, exception);
      put(headers, "tenant", tenant);
      return DeadLetter.of(
          new ConsumerRecord<>(
              "x.DLT",
              0,
              dltOffset,
              failureMillis,
              TimestampType.CREATE_TIME,
              -1,
              -1,
              new byte[] {1},
              new byte[] {2},
              headers,
              Optional.empty()));
    }

    private static void put(RecordHeaders headers, String name, String value) {
      if (value != null) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The criteria of a generated selector; null means not given. */
  record Criteria(
      Long since,
      Long until,
      String topic,
      Integer partition,
      Long offsetFrom,
      Long offsetTo,
      List<String> exceptions,
      String tenant) {
    boolean contradictory() {
      return (since != null && until != null && since >= until)
          || (offsetFrom != null && offsetTo != null && offsetFrom > offsetTo);
    }

    DeadLetterSelector.Builder builder() {
      DeadLetterSelector.Builder builder = DeadLetterSelector.builder();
      if (since != null) {
        builder.since(Instant.ofEpochMilli(since));
      }
      if (until != null) {
        builder.until(Instant.ofEpochMilli(until));
      }
      if (topic != null) {
        builder.originalTopic(topic);
      }
      if (partition != null) {
        builder.originalPartition(partition);
      }
      if (offsetFrom != null) {
        builder.originalOffsetFrom(offsetFrom);
      }
      if (offsetTo != null) {
        builder.originalOffsetTo(offsetTo);
      }
      exceptions.forEach(builder::exception);
      if (tenant != null) {
        builder.header("tenant", tenant);
      }
      return builder;
    }

    /** The model: each criterion written out on the generated letter, not on DeadLetter. */
    boolean selects(Letter letter) {
      if (since != null && letter.failureMillis() < since) {
        return false;
      }
      if (until != null && letter.failureMillis() >= until) {
        return false;
      }
      if (topic != null && !topic.equals(letter.topic())) {
        return false;
      }
      Integer letterPartition = parse(letter.partition());
      if (partition != null && !partition.equals(letterPartition)) {
        return false;
      }
      if ((offsetFrom != null || offsetTo != null) && letter.offset() == null) {
        return false;
      }
      if (offsetFrom != null && letter.offset() < offsetFrom) {
        return false;
      }
      if (offsetTo != null && letter.offset() > offsetTo) {
        return false;
      }
      if (!exceptions.isEmpty()
          && (letter.exception() == null
              || letter.exception().isEmpty()
              || exceptions.stream().noneMatch(e -> modelNames(e, letter.exception())))) {
        return false;
      }
      return tenant == null || tenant.equals(letter.tenant());
    }

    private static Integer parse(String partition) {
      return partition != null && partition.matches("[0-9]+") ? Integer.valueOf(partition) : null;
    }

    /** Exact name; or, for a name without a package, the simple name or a nested tail. */
    private static boolean modelNames(String wanted, String className) {
      if (wanted.equals(className)) {
        return true;
      }
      if (wanted.contains(".")) {
        return false;
      }
      String simple = className.substring(className.lastIndexOf('.') + 1);
      for (int i = -1; i < simple.length(); i = simple.indexOf('$', i + 1)) {
        if (simple.substring(i + 1).equals(wanted)) {
          return true;
        }
        if (simple.indexOf('$', i + 1) < 0) {
          break;
        }
      }
      return false;
    }
  }

  @Provide
  Arbitrary<List<Letter>> letters() {
    Arbitrary<Letter> letter =
        Combinators.combine(
                Arbitraries.longs().between(0, 10),
                Arbitraries.of("orders", "payments").injectNull(0.2),
                Arbitraries.of("0", "1", "2", "x", "-1").injectNull(0.2),
                Arbitraries.longs().between(0, 12).injectNull(0.2),
                Arbitraries.of(EXCEPTIONS).injectNull(0.2),
                Arbitraries.of("t1", "t2").injectNull(0.3))
            .as(Letter::new);
    return letter.list().ofMinSize(1).ofMaxSize(30);
  }

  @Provide
  Arbitrary<Criteria> criteria() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 11).injectNull(0.6),
            Arbitraries.longs().between(0, 11).injectNull(0.6),
            Arbitraries.of("orders", "payments").injectNull(0.7),
            Arbitraries.integers().between(0, 2).injectNull(0.6),
            Arbitraries.longs().between(0, 12).injectNull(0.6),
            Arbitraries.longs().between(0, 12).injectNull(0.6),
            Arbitraries.of(WANTED_EXCEPTIONS).list().ofMaxSize(2),
            Arbitraries.of("t1", "t2").injectNull(0.7))
        .as(Criteria::new);
  }

  @Property(tries = 600)
  void selectsExactlyWhatTheModelSelects(
      @ForAll("letters") List<Letter> letters, @ForAll("criteria") Criteria criteria) {
    CASES.incrementAndGet();
    if (criteria.contradictory()) {
      REJECTED.incrementAndGet();
      assertThatThrownBy(() -> criteria.builder().build()).isInstanceOf(SdkConfigException.class);
      return;
    }
    DeadLetterSelector selector = criteria.builder().build();
    List<Integer> chosen = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < letters.size(); i++) {
      LETTERS.incrementAndGet();
      if (selector.test(letters.get(i).toDeadLetter(i))) {
        chosen.add(i);
      }
      if (criteria.selects(letters.get(i))) {
        expected.add(i);
      }
    }
    assertThat(chosen).as("%s over %s", selector, letters).isEqualTo(expected);
  }

  @AfterContainer
  static void report() {
    System.out.printf(
        "DeadLetterSelectorPropertiesTest: %d cases (%d contradictory), %d letter checks%n",
        CASES.get(), REJECTED.get(), LETTERS.get());
  }
}
