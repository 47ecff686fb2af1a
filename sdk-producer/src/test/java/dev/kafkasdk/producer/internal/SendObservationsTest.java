package dev.kafkasdk.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ProducerSendException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The {@code ksdk.send} observation of both send paths, through MockProducer: names and keys, the
 * header a propagating handler injects (replacing an existing one, never touching the caller's
 * record), the error of a failed send, and nothing at all when tracing is off. The trace carried
 * through a real broker is in ProducerTracingTest.
 */
class SendObservationsTest {
  private final TestObservationRegistry observations = TestObservationRegistry.create();
  private final ProducerMetrics metrics = new ProducerMetrics(null, "app", false);
  private final MockProducerFactory factory =
      new MockProducerFactory(
          () -> new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()));
  private final ReplaceableProducer<String, String> producers =
      new ReplaceableProducer<>(factory, null, "app", metrics);
  private final AtomicInteger injected = new AtomicInteger();

  SendObservationsTest() {
    // Stands in for Micrometer Tracing's PropagatingSenderTracingObservationHandler: writes a
    // propagation field through the context's setter when the observation starts.
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler<SenderContext<?>>() {
              @Override
              public void onStart(SenderContext<?> context) {
                inject(context, "trace-" + injected.incrementAndGet());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext<?>;
              }
            });
  }

  @Test
  void tracingOffSendsTheCallersRecordWithoutHeadersOrObservations() {
    RecordSender<String, String> sender =
        new RecordSender<>(producers, metrics, null, "app", null, null);
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");

    sender.send(record);
    sender.send(new ProducerRecord<>("orders", "k", "v2"), (m, e) -> {});
    factory.last().completeNext();
    factory.last().completeNext();

    assertThat(factory.last().history().get(0))
        .as("the very record the caller passed: no copy per record")
        .isSameAs(record);
    assertThat(factory.last().history())
        .allSatisfy(sent -> assertThat(sent.headers().toArray()).isEmpty());
    assertThat(injected).hasValue(0);
    TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();
  }

  @Test
  void anAcknowledgedSendIsObservedAndCarriesTheInjectedHeaderInPlaceOfTheOldOne() {
    RecordSender<String, String> sender = tracedSender(false);
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "customer-7", "v");
    record.headers().add("traceparent", bytes("old")).add("app", bytes("kept"));

    CompletableFuture<RecordMetadata> result = sender.send(record);
    factory.last().completeNext();

    assertThat(result).isCompleted();
    Headers sent = factory.last().history().get(0).headers();
    assertThat(sent.headers("traceparent")).hasSize(1);
    assertThat(value(sent.lastHeader("traceparent"))).isEqualTo("trace-1");
    assertThat(value(sent.lastHeader("app"))).isEqualTo("kept");
    assertThat(value(record.headers().lastHeader("traceparent")))
        .as("the caller's record is not modified")
        .isEqualTo("old");
    TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasNameEqualTo("ksdk.send")
        .hasContextualNameEqualTo("send orders")
        .hasLowCardinalityKeyValue("messaging.system", "kafka")
        .hasLowCardinalityKeyValue("messaging.operation.name", "send")
        .hasLowCardinalityKeyValue("messaging.operation.type", "send")
        .hasLowCardinalityKeyValue("messaging.destination.name", "orders")
        .hasHighCardinalityKeyValue("messaging.client.id", "app")
        .hasHighCardinalityKeyValue("messaging.destination.partition.id", "0")
        .hasHighCardinalityKeyValue("messaging.kafka.offset", "0")
        .doesNotHaveHighCardinalityKeyValueWithKey("messaging.kafka.message.key")
        .doesNotHaveError();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("ksdk.send")
        .that()
        .hasBeenStopped();
  }

  @Test
  void aFailedSendStopsItsObservationWithTheError() {
    RecordSender<String, String> sender = tracedSender(false);
    AtomicInteger callbacks = new AtomicInteger();

    sender.send(new ProducerRecord<>("orders", "k", "big"), (m, e) -> callbacks.incrementAndGet());
    factory.last().errorNext(new RecordTooLargeException("too large"));

    assertThat(callbacks).hasValue(1);
    TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasError()
        .assertThatError()
        .isInstanceOf(ProducerSendException.class)
        .hasCauseInstanceOf(RecordTooLargeException.class);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("ksdk.send")
        .that()
        .hasBeenStopped();
  }

  @Test
  void keysAreRecordedOnlyWhenAskedFor() {
    RecordSender<String, String> sender = tracedSender(true);

    sender.send(new ProducerRecord<>("orders", "customer-7", "v"));
    factory.last().completeNext();

    TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasHighCardinalityKeyValue("messaging.kafka.message.key", "customer-7");
  }

  @Test
  void eachSendOfATransactionIsObservedAndCarriesItsOwnHeader() {
    MockProducerFactory autoCompleting =
        new MockProducerFactory(
            () -> new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()));
    TransactionRunner<String, String> runner =
        new TransactionRunner<>(
            new ReplaceableProducer<>(autoCompleting, "tx-0", "app-0", metrics),
            "tx-0",
            new TransactionOptions("tx", null, 1, 1, Duration.ofHours(1), null),
            metrics,
            null,
            SendObservations.create(observations, "app-0", false));

    runner.run(
        tx -> {
          tx.send("orders", "k", "1");
          tx.send("orders", "k", "2");
        });

    assertThat(autoCompleting.last().history())
        .extracting(sent -> value(sent.headers().lastHeader("traceparent")))
        .containsExactly("trace-1", "trace-2");
    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo("ksdk.send", 2)
        .forAllObservationsWithNameEqualTo(
            "ksdk.send",
            observation ->
                observation
                    .hasHighCardinalityKeyValue("messaging.client.id", "app-0")
                    .hasHighCardinalityKeyValueWithKey("messaging.kafka.offset")
                    .doesNotHaveError());
  }

  private RecordSender<String, String> tracedSender(boolean keys) {
    return new RecordSender<>(
        producers, metrics, null, "app", null, SendObservations.create(observations, "app", keys));
  }

  private static <C> void inject(SenderContext<C> context, String value) {
    context.getSetter().set(context.getCarrier(), "traceparent", value);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String value(Header header) {
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
