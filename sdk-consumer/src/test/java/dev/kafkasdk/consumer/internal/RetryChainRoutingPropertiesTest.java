package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.DeadLetterHeaders;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryTopicHeaders;
import dev.kafkasdk.consumer.RetryTopics;
import dev.kafkasdk.core.RetryTopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A record's way along the chain against a small model, without a broker: a record whose handler
 * fails {@code failures} times in a row, with {@code inPlace} attempts per topic, is handled in the
 * topic the model says (main topic, or retry stage {@code failures / inPlace}) or, past the last
 * stage, dead-lettered once after {@code (stages + 1) * inPlace} calls. At every step the real code
 * paths build the records ({@link RetryTopicPublisher#next}, {@link
 * DeadLetterPublisher#deadLetter}) and read them back ({@link RetriedRecord#of}); the topic names,
 * the stage, the cumulative calls, the due time and the main topic's origin must be right.
 */
class RetryChainRoutingPropertiesTest {
  private static final String MAIN = "orders";

  @Property(tries = 400)
  void aRecordMovesOneStagePerExhaustedTopicAndIsDeadLetteredOnceAfterTheLast(
      @ForAll @IntRange(min = 1, max = 4) int stages,
      @ForAll @IntRange(min = 1, max = 3) int inPlace,
      @ForAll @IntRange(min = 0, max = 16) int failures,
      @ForAll @IntRange(min = 0, max = 5) int partition,
      @ForAll @IntRange(min = 0, max = 100_000) int offset,
      @ForAll boolean nullKey) {
    List<Duration> delays = new ArrayList<>();
    for (int i = 1; i <= stages; i++) {
      delays.add(Duration.ofMillis(250L * i * i));
    }
    RetryChain chain = RetryChain.of(RetryTopics.delays(delays), List.of(MAIN));
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    RetryTopicPublisher publisher = new RetryTopicPublisher(chain, null, null, null, clock::get);
    DeadLetterPublisher deadLetters =
        new DeadLetterPublisher(
            FailureAction.retryTopics(RetryTopics.delays(delays)), null, null, chain);

    ConsumerRecord<byte[], byte[]> record =
        consumed(MAIN, partition, offset, 42L, nullKey ? null : bytes("k"), new RecordHeaders());
    int remaining = failures;
    int calls = 0;
    // The model: the stage where the record succeeds, or none (dead-lettered).
    int succeedsAt = failures / inPlace;
    for (int stage = 0; ; stage++) {
      RetriedRecord origin = RetriedRecord.of(record, chain);
      if (stage == 0) {
        assertThat(origin).isNull();
      } else {
        assertThat(record.topic())
            .isEqualTo(RetryTopicNames.retryTopic(MAIN, delays.get(stage - 1)));
        assertThat(origin.stage()).isEqualTo(stage);
        assertThat(origin.topic()).isEqualTo(MAIN);
        assertThat(origin.partition()).isEqualTo(partition);
        assertThat(origin.offset()).isEqualTo(offset);
        assertThat(origin.timestamp()).isEqualTo(42L);
        assertThat(origin.callsBefore()).isEqualTo(calls);
      }
      if (remaining < inPlace) {
        assertThat(stage).as("succeeds where the model says").isEqualTo(succeedsAt);
        return;
      }
      remaining -= inPlace;
      calls += inPlace;
      FailurePolicy.Failure failure =
          new FailurePolicy.Failure(
              List.of(record),
              List.of(record),
              new IllegalStateException("call " + calls),
              inPlace,
              Duration.ofMillis(5),
              null);
      if (stage == stages) {
        ProducerRecord<byte[], byte[]> letter =
            deadLetters.deadLetter(record, failure.error(), failure.attempts());
        assertThat(succeedsAt).as("dead-lettered only past the last stage").isGreaterThan(stages);
        assertThat(letter.topic()).isEqualTo(RetryTopicNames.deadLetterTopic(MAIN));
        assertThat(text(letter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(MAIN);
        assertThat(text(letter.headers(), DeadLetterHeaders.ORIGINAL_PARTITION))
            .isEqualTo(Integer.toString(partition));
        assertThat(text(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET))
            .isEqualTo(Integer.toString(offset));
        assertThat(text(letter.headers(), DeadLetterHeaders.ATTEMPTS))
            .isEqualTo(Integer.toString((stages + 1) * inPlace));
        assertThat(letter.key()).isEqualTo(record.key());
        return;
      }
      ProducerRecord<byte[], byte[]> next = publisher.next(record, origin, failure, stage + 1);
      assertThat(next.topic()).isEqualTo(RetryTopicNames.retryTopic(MAIN, delays.get(stage)));
      assertThat(next.key()).isEqualTo(record.key());
      assertThat(text(next.headers(), RetryTopicHeaders.ATTEMPT))
          .isEqualTo(Integer.toString(stage + 1));
      assertThat(text(next.headers(), RetryTopicHeaders.DUE_AT))
          .isEqualTo(Long.toString(clock.get() + delays.get(stage).toMillis()));
      assertThat(text(next.headers(), DeadLetterHeaders.ATTEMPTS))
          .isEqualTo(Integer.toString(calls));
      assertThat(text(next.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE))
          .isEqualTo("call " + calls);
      assertThat(next.headers().headers(RetryTopicHeaders.ATTEMPT)).hasSize(1);
      clock.addAndGet(delays.get(stage).toMillis());
      // As the next stage's consumer reads it: another partition and offset of the retry topic.
      record =
          consumed(
              next.topic(),
              (partition + stage) % 3,
              7L * stage,
              clock.get(),
              next.key(),
              next.headers());
    }
  }

  private static ConsumerRecord<byte[], byte[]> consumed(
      String topic, int partition, long offset, long timestamp, byte[] key, Headers headers) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        0,
        0,
        key,
        bytes("v"),
        headers,
        Optional.empty());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
