package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** The commit metadata codec alone: what a runner writes, what a tool reads back. */
class CommittedProgressTest {

  @Test
  void encodesTheDocumentedFormat() {
    assertThat(new CommittedProgress(6, 1, 9).encode()).isEqualTo("ksdk1;done=6;pending=1;hi=9");
  }

  @Property(tries = 300)
  void whatIsWrittenIsReadBack(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long done,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long pending,
      @ForAll @LongRange(min = -1, max = Long.MAX_VALUE) long hi) {
    CommittedProgress progress = new CommittedProgress(done, pending, hi);
    assertThat(CommittedProgress.parse(new OffsetAndMetadata(42, progress.encode())))
        .contains(progress);
  }

  /** A later version may add fields anywhere; a reader of this one still reads its three. */
  @Property(tries = 200)
  void aLaterVersionWithMoreFieldsIsStillRead(
      @ForAll("extraFields") String extra, @ForAll @IntRange(min = 2, max = 99) int version) {
    String metadata = "ksdk" + version + ";" + extra + "done=3;hi=17;" + extra + "pending=2";
    assertThat(CommittedProgress.parse(metadata)).contains(new CommittedProgress(3, 2, 17));
  }

  @Provide
  Arbitrary<String> extraFields() {
    Arbitrary<String> key =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(6)
            .filter(k -> !k.equals("done") && !k.equals("hi") && !k.equals("pending"));
    Arbitrary<String> value = Arbitraries.strings().alpha().numeric().ofMaxLength(8);
    return key.flatMap(k -> value.map(v -> k + "=" + v + ";"))
        .list()
        .ofMaxSize(3)
        .map(fields -> String.join("", fields));
  }

  @Test
  void otherClientsCommitsAreNotProgress() {
    assertThat(CommittedProgress.parse((OffsetAndMetadata) null)).isEmpty();
    assertThat(CommittedProgress.parse(new OffsetAndMetadata(5))).isEmpty();
    assertThat(CommittedProgress.parse(new OffsetAndMetadata(5, "app v2 checkpoint"))).isEmpty();
    assertThat(CommittedProgress.parse("ksdk")).isEmpty();
    assertThat(CommittedProgress.parse("ksdkX;done=1;pending=0;hi=3")).isEmpty();
    assertThat(CommittedProgress.parse("ksdk1;done=1;hi=3")).as("a field missing").isEmpty();
    assertThat(CommittedProgress.parse("ksdk1;done=x;pending=0;hi=3")).isEmpty();
    assertThat(CommittedProgress.parse("ksdk1;done=-1;pending=0;hi=3")).isEmpty();
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> new CommittedProgress(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CommittedProgress(0, 0, -2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
