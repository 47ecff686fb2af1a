package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.ReplayHeaders;
import dev.kafkasdk.consumer.RetryTopicHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The headers of a replayed record, from dead letters written with and without tracing. */
class ReplayRecordTest {
  private static final String ORIGINAL = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String DEAD_LETTER_SEND =
      "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";

  @Test
  void aTracedDeadLetterGetsItsOwnTraceContextBackAndLosesEveryFailureHeader() {
    RecordHeaders headers = new RecordHeaders();
    put(headers, "app", "a");
    put(headers, "traceparent", DEAD_LETTER_SEND);
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, "orders");
    put(headers, DeadLetterHeaders.EXCEPTION_CLASS, "java.lang.IllegalStateException");
    put(headers, DeadLetterHeaders.FAILED_CALL_TRACEPARENT, DEAD_LETTER_SEND);
    put(headers, DeadLetterHeaders.ORIGINAL_TRACEPARENT, ORIGINAL);
    put(headers, ReplayHeaders.SOURCE, "older.DLT/3/3");

    ProducerRecord<byte[], byte[]> replayed =
        ReplayRecord.of(letter(headers), "orders", "ksdk-replay-orders.DLT", 42L);

    assertThat(replayed.topic()).isEqualTo("orders");
    assertThat(replayed.partition()).isNull();
    assertThat(replayed.key()).containsExactly(1, 2);
    assertThat(replayed.value()).containsExactly(3);
    assertThat(names(replayed))
        .containsExactly(
            "app", "traceparent", ReplayHeaders.SOURCE, ReplayHeaders.TIME, ReplayHeaders.GROUP);
    assertThat(text(replayed, "traceparent")).isEqualTo(ORIGINAL);
    assertThat(text(replayed, ReplayHeaders.SOURCE)).isEqualTo("orders.DLT/1/7");
    assertThat(text(replayed, ReplayHeaders.TIME)).isEqualTo("42");
    assertThat(text(replayed, ReplayHeaders.GROUP)).isEqualTo("ksdk-replay-orders.DLT");
  }

  @Test
  void anUntracedDeadLetterKeepsItsTraceparentAsItWas() {
    RecordHeaders headers = new RecordHeaders();
    put(headers, "traceparent", ORIGINAL);
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, "orders");
    ProducerRecord<byte[], byte[]> replayed = ReplayRecord.of(letter(headers), "other", "g", 1L);
    assertThat(replayed.topic()).isEqualTo("other");
    assertThat(text(replayed, "traceparent")).isEqualTo(ORIGINAL);
    assertThat(names(replayed)).noneMatch(name -> name.startsWith("ksdk.dlt."));
  }

  @Test
  void aDeadLetterFromARetryChainLosesTheChainsHeadersToo() {
    RecordHeaders headers = new RecordHeaders();
    put(headers, "app", "a");
    put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, "orders");
    put(headers, RetryTopicHeaders.ATTEMPT, "3");
    put(headers, RetryTopicHeaders.DUE_AT, "1000");
    put(headers, RetryTopicHeaders.FIRST_FAILURE_AT, "900");
    put(headers, RetryTopicHeaders.EXCEPTION_STACKTRACE, "java.lang.IllegalStateException");
    ProducerRecord<byte[], byte[]> replayed = ReplayRecord.of(letter(headers), "orders", "g", 1L);
    // A replayed record starts over: left in, the retry headers would make the runner treat it as
    // the chain's third attempt, due at a past time.
    assertThat(names(replayed))
        .containsExactly("app", ReplayHeaders.SOURCE, ReplayHeaders.TIME, ReplayHeaders.GROUP);
  }

  private static DeadLetter letter(RecordHeaders headers) {
    return DeadLetter.of(
        new ConsumerRecord<>(
            "orders.DLT",
            1,
            7,
            1_000L,
            TimestampType.CREATE_TIME,
            -1,
            -1,
            new byte[] {1, 2},
            new byte[] {3},
            headers,
            Optional.empty()));
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> names(ProducerRecord<?, ?> record) {
    List<String> names = new ArrayList<>();
    for (Header header : record.headers()) {
      names.add(header.key());
    }
    return names;
  }

  private static String text(ProducerRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
