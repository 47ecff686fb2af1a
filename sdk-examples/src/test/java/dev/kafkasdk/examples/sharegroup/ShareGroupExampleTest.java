package dev.kafkasdk.examples.sharegroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The example's promise on a real broker: every job handled, dead letters exactly as expected. */
@KafkaTest
class ShareGroupExampleTest {

  @Test
  void everyGoodJobIsRenderedAndTheCorruptOnesAreDeadLetteredOnceAfterMaxAttempts(
      KafkaCluster kafka) throws Exception {
    ShareGroupExample.Summary summary = ShareGroupExample.run(kafka);
    Set<Integer> good =
        IntStream.range(0, ShareGroupExample.JOBS)
            .filter(job -> job != 17 && job != 42)
            .boxed()
            .collect(Collectors.toSet());
    assertThat(summary.produced()).isEqualTo(60);
    assertThat(summary.rendered()).isEqualTo(good);
    // Every fifth job failed its first delivery, was released and rendered when delivered again.
    assertThat(summary.renderedOnRedelivery())
        .isEqualTo(good.stream().filter(job -> job % 5 == 0).collect(Collectors.toSet()));
    // The corrupt jobs: dead-lettered once each, after maxAttempts deliveries, and nothing else.
    assertThat(summary.deadLetters())
        .containsOnlyKeys(17, 42)
        .containsEntry(17, List.of(ShareGroupExample.MAX_ATTEMPTS))
        .containsEntry(42, List.of(ShareGroupExample.MAX_ATTEMPTS));
  }
}
