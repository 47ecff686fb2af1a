package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.consumer.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@link ShareWorkers} with the runner's real {@link ConfiguredFailurePolicy} against a model of
 * the share-group rules: each record has an outcome script (succeed, fail n times then succeed,
 * poison, always fail), the retry policy allows m attempts and the failure action is skip or stop.
 * Kafka is modelled as delivering a released record again with the delivery count plus one. The
 * outcomes must be: RELEASE while the delivery count is below m, then ACCEPT on success, else
 * REJECT (skip) or a failure without acknowledgement (stop); never ACCEPT for a delivery whose
 * handler failed.
 */
class ShareWorkersPropertiesTest {
  private static ExecutorService pool;
  private static ScheduledExecutorService timer;

  /** A record's script: fails its first {@code failures} deliveries (or can never be read). */
  record Script(int failures, boolean poison) {}

  record Case(List<Script> scripts, int maxAttempts, boolean skip) {}

  @BeforeContainer
  static void start() {
    pool = Executors.newFixedThreadPool(3);
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterContainer
  static void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Script> script =
        Combinators.combine(
                Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 9))
            .as(
                (failures, kind) ->
                    new Script(kind == 0 ? Integer.MAX_VALUE : failures, kind == 1));
    return Combinators.combine(
            script.list().ofMinSize(1).ofMaxSize(8),
            Arbitraries.integers().between(1, 5),
            Arbitraries.of(true, false))
        .as(Case::new);
  }

  @Property(tries = 200)
  void outcomesFollowTheDeliveryCountAndTheFailureAction(@ForAll("cases") Case model)
      throws Exception {
    Map<String, Script> scripts = new ConcurrentHashMap<>();
    RecordHandler<String, String> handler =
        record -> {
          Script script = scripts.get(record.value());
          if (record.deliveryCount().orElseThrow() <= script.failures()) {
            throw new IllegalStateException("scripted failure");
          }
        };
    Deserializer<String> values =
        (topic, data) -> {
          String value = new String(data, StandardCharsets.UTF_8);
          if (scripts.get(value).poison()) {
            throw new IllegalArgumentException("unreadable");
          }
          return value;
        };
    RunnerMetrics metrics = new RunnerMetrics(new SimpleMeterRegistry(), "share", List.of());
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(model.maxAttempts())
            .backoff(IntervalFunction.of(Duration.ofMillis(1)))
            .build();
    FailurePolicy policy =
        new ConfiguredFailurePolicy(
            "share",
            retry,
            model.skip() ? FailureAction.skip() : FailureAction.stop(),
            null,
            metrics);
    ShareWorkers<String, String> workers =
        new ShareWorkers<>(
            pool,
            3,
            HandlerInvoker.of(handler),
            new FailureSupport<>(
                new RecordDecoder<>(new StringDeserializer(), values), policy, Gate.OPEN, timer),
            metrics,
            metrics.shareMeters());
    for (int i = 0; i < model.scripts().size(); i++) {
      Script script = model.scripts().get(i);
      String value = "r" + i;
      scripts.put(value, script);
      List<AcknowledgeType> expected = new ArrayList<>();
      List<AcknowledgeType> actual = new ArrayList<>();
      boolean expectFailure = false;
      boolean failed = false;
      for (int delivery = 1; ; delivery++) {
        boolean fails = script.poison() || delivery <= script.failures();
        AcknowledgeType expect;
        if (!fails) {
          expect = AcknowledgeType.ACCEPT;
        } else if (!script.poison() && delivery < model.maxAttempts()) {
          // A record that cannot be deserialized is never retried (RetryPolicy).
          expect = AcknowledgeType.RELEASE;
        } else {
          expect = model.skip() ? AcknowledgeType.REJECT : null;
        }
        workers.submit(record(i, value, delivery));
        ShareWorkers.Outcome outcome = workers.await(TimeUnit.SECONDS.toNanos(10));
        assertThat(outcome).as("outcome of %s delivery %d", value, delivery).isNotNull();
        assertThat(outcome.id().offset()).isEqualTo(i);
        if (expect == null) {
          expectFailure = true;
          failed = outcome.type() == null && outcome.failure() instanceof HandlerFailedException;
          break;
        }
        expected.add(expect);
        actual.add(outcome.type());
        if (outcome.type() != AcknowledgeType.RELEASE || expect != AcknowledgeType.RELEASE) {
          break;
        }
      }
      assertThat(actual).as("acknowledgements of %s (%s)", value, script).isEqualTo(expected);
      assertThat(failed).as("stop for %s", value).isEqualTo(expectFailure);
    }
    assertThat(workers.open()).isZero();
  }

  private static ConsumerRecord<byte[], byte[]> record(int offset, String value, int delivery) {
    return new ConsumerRecord<>(
        "t",
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        1,
        value.length(),
        "k".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8),
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) delivery));
  }
}
