package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Build-time validation; no broker needed because build() connects to nothing. */
class ConsumerRunnerBuilderTest {

  private static ConsumerRunner.Builder<String, String> valid() {
    return ConsumerRunner.builder()
        .bootstrapServers("localhost:9")
        .groupId("group")
        .topics("orders")
        .handler(record -> {});
  }

  private static void assertRejected(
      UnaryOperator<ConsumerRunner.Builder<String, String>> change, String setting) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(SdkConfigException.class)
        .satisfies(e -> assertThat(((SdkConfigException) e).setting()).isEqualTo(setting));
  }

  @Test
  void aValidDescriptionBuildsWithoutStartingAnything() {
    Set<String> before = runnerThreads();
    ConsumerRunner<String, String> runner = valid().build();
    assertThat(runner.state()).isEqualTo(ConsumerRunner.State.NEW);
    assertThat(runner.name()).isEqualTo("group");
    assertThat(runnerThreads()).isEqualTo(before);
  }

  @Test
  void autoCommitCanOnlyBeOff() {
    assertRejected(b -> b.property("enable.auto.commit", "true"), "enable.auto.commit");
    assertRejected(b -> b.property("enable.auto.commit", Boolean.TRUE), "enable.auto.commit");
    assertThat(valid().property("enable.auto.commit", "false").build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void topicsXorPatternIsRequired() {
    assertRejected(b -> b.topics(Set.of()), "topics");
    assertRejected(b -> b.topicPattern(Pattern.compile("orders.*")), "topics");
    assertRejected(b -> b.topics(" "), "topics");
    assertThat(valid().topics(Set.of()).topicPattern(Pattern.compile("orders.*")).build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void exactlyOneHandlerIsRequired() {
    assertRejected(b -> b.batchHandler(records -> {}), "handler");
    assertThatThrownBy(
            () ->
                ConsumerRunner.builder()
                    .bootstrapServers("localhost:9")
                    .groupId("g")
                    .topics("t")
                    .build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("handler");
  }

  @Test
  void bootstrapAndGroupAreRequired() {
    assertThatThrownBy(
            () -> ConsumerRunner.builder().groupId("g").topics("t").handler(r -> {}).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(
            () ->
                ConsumerRunner.builder()
                    .bootstrapServers("localhost:9")
                    .topics("t")
                    .handler(r -> {})
                    .build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("group.id");
    // Both may also come as plain consumer properties.
    assertThat(
            ConsumerRunner.builder()
                .property("bootstrap.servers", "localhost:9")
                .property("group.id", "g")
                .topics("t")
                .handler(r -> {})
                .build()
                .name())
        .isEqualTo("g");
  }

  @Test
  void limitsMustBeConsistent() {
    assertRejected(b -> b.maxInFlight(0), "maxInFlight");
    assertRejected(b -> b.maxInFlight(10).maxInFlightPerPartition(11), "maxInFlightPerPartition");
    assertRejected(b -> b.maxInFlightPerPartition(0), "maxInFlightPerPartition");
    assertRejected(
        b -> b.maxInFlightPerPartition(100).property("max.poll.records", 101), "max.poll.records");
    assertRejected(b -> b.property("max.poll.records", "many"), "max.poll.records");
    assertRejected(b -> b.maxBatchSize(0), "maxBatchSize");
  }

  @Test
  void durationsMustBePositiveAndTheRevocationWaitShorterThanThePollInterval() {
    assertRejected(b -> b.commitInterval(Duration.ZERO), "commitInterval");
    assertRejected(b -> b.closeTimeout(Duration.ofSeconds(-1)), "closeTimeout");
    assertRejected(b -> b.pollTimeout(Duration.ZERO), "pollTimeout");
    assertRejected(b -> b.slowHandlerThreshold(Duration.ZERO), "slowHandlerThreshold");
    assertRejected(
        b -> b.property("max.poll.interval.ms", 10_000).revocationTimeout(Duration.ofSeconds(10)),
        "revocationTimeout");
    // Without an explicit revocation timeout, the default adapts to a short poll interval.
    assertThat(valid().property("max.poll.interval.ms", 3000).build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void kafkaRejectionsAreReportedAtBuildTime() {
    assertRejected(b -> b.property("fetch.min.bytes", "lots"), "consumer properties");
    // The new group protocol forbids client-side assignors.
    assertRejected(
        b ->
            b.property("group.protocol", "consumer")
                .property(
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor"),
        "consumer properties");
    assertThat(valid().property("group.protocol", "consumer").build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void strategiesRejectNonsense() {
    assertThatThrownBy(() -> Strategy.threadPerPartition(0))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("threadPerPartition.threads")
        .hasMessageContaining("must be at least 1, was 0");
    assertThatThrownBy(() -> Strategy.multiWorker(0, Ordering.KEY))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("multiWorker.workers")
        .hasMessageContaining("must be at least 1, was 0");
  }

  private static Set<String> runnerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("ksdk-"))
        .collect(Collectors.toSet());
  }
}
