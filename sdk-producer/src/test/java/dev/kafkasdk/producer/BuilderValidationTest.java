package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every contradiction {@code build()} rejects, with the setting it names and words from its fix. No
 * broker is needed: a failed build must not start a client, so none is contacted.
 */
class BuilderValidationTest {
  private static final String BOOTSTRAP = "localhost:9092";

  static Stream<Arguments> contradictions() {
    return Stream.of(
        bad(
            "missing bootstrap servers",
            () -> builder().build(),
            "bootstrap.servers",
            "bootstrapServers("),
        bad(
            "idempotence with acks=1",
            () -> idempotent().property("acks", "1").build(),
            "acks",
            "unsafeAcks(Acks.ONE)"),
        bad(
            "idempotence with acks=0",
            () -> idempotent().property("acks", 0).build(),
            "acks",
            "remove the acks property"),
        bad(
            "idempotence switched off by property",
            () -> idempotent().property("enable.idempotence", "false").build(),
            "enable.idempotence",
            "unsafeAcks"),
        bad(
            "more than 5 requests in flight",
            () -> idempotent().property("max.in.flight.requests.per.connection", 6).build(),
            "max.in.flight.requests.per.connection",
            "between 1 and 5"),
        bad(
            "retries=0 with idempotence",
            () -> idempotent().property("retries", "0").build(),
            "retries",
            "delivery.timeout.ms"),
        bad(
            "delivery timeout below linger + request timeout",
            () ->
                idempotent()
                    .property("linger.ms", 100)
                    .property("request.timeout.ms", 30_000)
                    .deliveryTimeout(Duration.ofSeconds(10))
                    .build(),
            "delivery.timeout.ms",
            "at least 30100 ms"),
        bad(
            "transactional with unsafe acks",
            () -> idempotent().unsafeAcks(Acks.ONE).transactional("tx").build(),
            "enable.idempotence",
            "remove unsafeAcks"),
        bad(
            "transactional with idempotence off",
            () -> idempotent().property("enable.idempotence", false).transactional("tx").build(),
            "enable.idempotence",
            "remove the enable.idempotence property"),
        bad(
            "transactional with acks=1",
            () -> idempotent().property("acks", "1").transactional("tx").build(),
            "acks",
            "transactions need acks=all"),
        bad(
            "transaction timeout below request timeout",
            () ->
                idempotent()
                    .property("request.timeout.ms", 30_000)
                    .transactional("tx")
                    .transactionTimeout(Duration.ofSeconds(10))
                    .build(),
            "transaction.timeout.ms",
            "at least request.timeout.ms"),
        bad(
            "blank transactional prefix",
            () -> idempotent().transactional(" ").build(),
            "transactional.id",
            "unique to this application instance"),
        bad(
            "transactional.id as a property",
            () -> idempotent().property("transactional.id", "x").build(),
            "transactional.id",
            "transactional("),
        bad(
            "serializer as a property",
            () -> idempotent().property("value.serializer", StringSerializer.class).build(),
            "value.serializer",
            "ReliableProducer.builder(keySerializer, valueSerializer)"),
        bad("unsafeAcks(ALL)", () -> idempotent().unsafeAcks(Acks.ALL).build(), "acks", "default"),
        bad(
            "unsafe acks with idempotence forced on",
            () -> idempotent().unsafeAcks(Acks.ONE).property("enable.idempotence", true).build(),
            "enable.idempotence",
            "remove"),
        bad(
            "unsafe acks with a different acks property",
            () -> idempotent().unsafeAcks(Acks.ZERO).property("acks", "1").build(),
            "acks",
            "remove the acks property"),
        bad(
            "unparsable number",
            () -> idempotent().property("linger.ms", "soon").build(),
            "linger.ms",
            "valid long"),
        bad(
            "bootstrap servers set twice differently",
            () -> idempotent().property("bootstrap.servers", "other:9092").build(),
            "bootstrap.servers",
            "set it once"),
        bad(
            "bootstrap address without port",
            () -> builder().bootstrapServers("localhost").build(),
            "bootstrap.servers",
            "bootstrap.servers"),
        bad(
            "zero max attempts",
            () -> idempotent().transactional("tx").maxAttempts(0).build(),
            "maxAttempts",
            "at least 1"),
        bad(
            "non-positive max age",
            () -> idempotent().transactional("tx").maxAge(Duration.ZERO).build(),
            "maxAge",
            "positive"),
        bad(
            "pool of size 0",
            () -> idempotent().transactional("tx").buildPool(0),
            "pool size",
            "at least 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contradictions")
  void buildRejectsWithSettingAndFix(
      String name, Supplier<AutoCloseable> build, String setting, String fixWords) {
    Set<String> threadsBefore = producerThreads();

    SdkConfigException e = catchThrowableOfType(SdkConfigException.class, build::get);

    assertThat(e).as(name).isNotNull();
    assertThat(e.setting()).isEqualTo(setting);
    assertThat(e.getMessage()).contains(setting).contains("Fix:").contains(fixWords);
    assertThat(producerThreads()).as("no producer thread started").isEqualTo(threadsBefore);
  }

  private static Arguments bad(
      String name, Supplier<AutoCloseable> build, String setting, String fixWords) {
    return Arguments.of(name, build, setting, fixWords);
  }

  private static ReliableProducer.Builder<String, String> builder() {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer());
  }

  private static ReliableProducer.Builder<String, String> idempotent() {
    return builder().bootstrapServers(BOOTSTRAP);
  }

  private static Set<String> producerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("kafka-producer-network-thread"))
        .collect(Collectors.toSet());
  }
}
