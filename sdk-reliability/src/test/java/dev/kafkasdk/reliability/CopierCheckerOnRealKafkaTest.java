package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Meta-test of the {@code exactly-once} check on a real broker (plan section 7.4, "no seek after
 * abort", KAFKA-17582): a raw transactional copier that aborts a quarter of its transactions on
 * purpose but does not rewind afterwards must fail the check; the same copier with the rewind must
 * pass it. Without the first, the check proves nothing; without the second, it cries wolf.
 */
@KafkaTest
class CopierCheckerOnRealKafkaTest {
  private static final int RECORDS = 1_000;
  private static final long SEED = 17582;

  @Test
  void copierWithoutSeekAfterAbortIsCaught(KafkaCluster kafka, TestNames names) throws Exception {
    History history = run(kafka, names, false);
    CheckResult exactlyOnce = new HistoryChecker(history).exactlyOnce();
    System.out.println("copier without seek after abort (expected to fail): " + exactlyOnce.line());
    assertThat(exactlyOnce.passed()).as(exactlyOnce.line()).isFalse();
    assertThat(exactlyOnce.detail()).contains("missing");
    assertThat(new HistoryChecker(history).lostWrite().passed())
        .as("the input side was fine")
        .isTrue();
  }

  @Test
  void copierWithSeekAfterAbortPasses(KafkaCluster kafka, TestNames names) throws Exception {
    History history = run(kafka, names, true);
    HistoryChecker checker = new HistoryChecker(history);
    // No check of handler calls (commit-safety, at-least-once): the raw copier records none.
    for (CheckResult result :
        List.of(
            checker.lostWrite(),
            checker.duplicate(),
            checker.commitsMonotonic(),
            checker.progress(),
            checker.exactlyOnce())) {
      System.out.println("copier with seek after abort: " + result.line());
      assertThat(result.passed()).as(result.line()).isTrue();
    }
  }

  private static History run(KafkaCluster kafka, TestNames names, boolean seekAfterAbort)
      throws Exception {
    String input = names.topic("in");
    String output = names.topic("out");
    History history = ExactlyOnceFaultsTest.produce(kafka, input, output, RECORDS);
    try (CommitObserver observer =
        new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50))) {
      RawTransactionalCopier copier =
          new RawTransactionalCopier(
              kafka.clientConfig(),
              input,
              output,
              names.groupId(),
              names.transactionalId(),
              seekAfterAbort,
              SEED);
      try {
        Awaitility.await("copier read the whole input")
            .atMost(Duration.ofMinutes(2))
            .until(() -> copier.idlePosition() >= RECORDS);
      } finally {
        copier.close();
      }
      observer.observeOnce();
      System.out.println(
          "raw copier (seek after abort: " + seekAfterAbort + "): " + copier.aborted() + " aborts");
      assertThat(copier.aborted()).as("transactions were aborted on purpose").isPositive();
    }
    ExactlyOnceFaultsTest.drain(kafka, input, output, history);
    return history;
  }
}
