package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The failure path under load (issue 14): a multi-worker KEY runner with retries and then skip or
 * dead-letter, whose handler fails a seeded share of records a seeded number of times. Records that
 * fail fewer times than the retry limit must succeed; the others must be skipped or dead-lettered
 * after exactly the allowed attempts; per-key order and commit safety hold throughout.
 */
@KafkaTest
class FailurePathLoadTest {
  private static final RunSettings SETTINGS = RunSettings.fromSystemProperties();
  private static final int KEYS = 50;
  private static final int MAX_ATTEMPTS = 3;
  private static final int PERCENT_FAILING = 10;

  @Test
  void keyRunnerRetriesThenSkipsExactlyAsScripted(KafkaCluster kafka, TestNames names)
      throws Exception {
    Verdict verdict = run(kafka, names, "failure-path-skip", false);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  @Test
  void keyRunnerRetriesThenDeadLettersExactlyAsScripted(KafkaCluster kafka, TestNames names)
      throws Exception {
    Verdict verdict = run(kafka, names, "failure-path-dead-letter", true);
    assertThat(verdict.passed()).as(verdict.render()).isTrue();
  }

  /**
   * Produces the whole input first, so each poll gives the runner long runs of records per key (the
   * unit within which attempts must not carry over), then runs one runner until the group has
   * committed everything.
   */
  private static Verdict run(
      KafkaCluster kafka, TestNames names, String scenario, boolean deadLetter) throws Exception {
    Random random = SETTINGS.random(scenario);
    FailureScript script = new FailureScript(random.nextLong(), PERCENT_FAILING, MAX_ATTEMPTS);
    // 2,500 records per fault round, counting at least two: 5,000 also in the quick run (seconds).
    int records = 2_500 * SETTINGS.rounds(2);
    String topic = names.topic();
    String deadLetters = topic + FailureAction.DEFAULT_DEAD_LETTER_SUFFIX;
    kafka.createTopic(topic, 6, 1);
    if (deadLetter) {
      kafka.createTopic(deadLetters, 1, 1);
    }
    History history = new History();
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .build()) {
      HistoryProducer writer = new HistoryProducer("p1", topic, history, producer::send);
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        sent.add(writer.send("key-" + (i % KEYS)));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
    try (CommitObserver observer =
            new CommitObserver(kafka, names.groupId(), history, Duration.ofMillis(50));
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .name(scenario)
                .strategy(Strategy.multiWorker(8, Ordering.KEY))
                .commitInterval(Duration.ofMillis(200))
                .retry(
                    RetryPolicy.builder().maxAttempts(MAX_ATTEMPTS).backoff(attempt -> 5L).build())
                .onFailure(deadLetter ? FailureAction.deadLetter() : FailureAction.skip())
                .handler(ScriptedWork.recordedIn(history, scenario, script))
                .build()) {
      runner.start();
      observer.awaitCommitted("group caught up", records, Duration.ofMinutes(2));
    }
    Drain.topic(kafka, topic, Duration.ofMinutes(1), history::inputLogged);
    if (deadLetter) {
      Drain.records(kafka, deadLetters, Duration.ofMinutes(1), logged -> {})
          .forEach(record -> history.deadLetterLogged(DeadLetters.of(record)));
    }
    HistoryChecker checker = new HistoryChecker(history);
    return new Verdict(
            scenario,
            SETTINGS.seed(),
            checker.failurePathChecks(script, deadLetter, checker.keyOrder()))
        .print();
  }
}
