package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerSendException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.ConsumerGroupOffsets;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.Security;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reliability plan rows B7 (authorization) and B8 (authentication) for the runner, on one
 * SASL/SCRAM cluster with ACLs enforced. The rule under test: a runner whose client the cluster
 * refuses stops at once ({@code FAILED}, a {@link ClusterAccessException} naming what was refused
 * and the fix), commits nothing past an unfinished record, and a new runner resumes once the ACL is
 * granted. A dead letter the ACLs refuse stops the runner before its record is committed; the
 * record is dead-lettered by the next runner. An exactly-once runner whose output the ACLs refuse
 * stops at once too, instead of retrying the transaction. No password appears in the captured logs.
 */
@KafkaTest(security = Security.SASL_SCRAM)
class SecuredRunnerTest {
  private static final String PASSWORD = "pw-Rn5vB8wQ3";
  // Refusals arrive at the first poll; a loop of reconnects would fail this bound.
  private static final Duration FAST = Duration.ofSeconds(20);

  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static PrintStream originalErr;

  @BeforeAll
  static void captureLogs() {
    originalErr = System.err;
    // slf4j-simple writes to the current System.err.
    System.setErr(new PrintStream(LOG, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void noSecretWasLogged() {
    System.setErr(originalErr);
    String logged = LOG.toString(StandardCharsets.UTF_8);
    originalErr.print(logged);
    assertThat(logged).as("the class logged its refusals").contains("authorization failed");
    assertThat(logged).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongPasswordFailsTheRunnerAtOnceAndCommitsNothing(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    produce(kafka, names.topic(), 3);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    grantRead(kafka, user, names);

    ConsumerRunner.Builder<String, String> builder =
        runner(kafka.clientProperties(user, "wrong-" + PASSWORD), names, record -> {});
    assertThat(builder.toString()).doesNotContain(PASSWORD);
    try (ConsumerRunner<String, String> runner = builder.build()) {
      runner.start();
      assertThat(runner.awaitTermination(FAST)).as("stopped by itself").isTrue();

      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(runner.failure())
          .get()
          .isInstanceOf(ClusterAccessException.class)
          .satisfies(f -> assertThat(ErrorCategory.of(f)).isEqualTo(ErrorCategory.CONFIGURATION))
          .satisfies(f -> assertThat(f).hasRootCauseInstanceOf(SaslAuthenticationException.class))
          .satisfies(
              f ->
                  assertThat(f.getMessage())
                      .contains("authentication failed (SASL)", "start a new runner")
                      .doesNotContain(PASSWORD));
    }
    assertThat(ConsumerGroupOffsets.of(kafka).committed(names.groupId())).isEmpty();
  }

  @Test
  void missingReadAclsOnTheTopicThenTheGroupFailTheRunnerAndARunnerStartedAfterTheGrantResumes(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    produce(kafka, names.topic(), 5);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    Set<String> handled = ConcurrentHashMap.newKeySet();

    // The group is allowed, the topic is not.
    kafka.grant(user, ResourceType.GROUP, names.groupId(), AclOperation.READ);
    Throwable topicRefusal = failedRun(kafka, user, names, handled);
    assertThat(topicRefusal).hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThat(topicRefusal.getMessage()).contains("topic(s) " + names.topic(), "Fix: grant");

    // The topic is allowed, the group no longer.
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.READ);
    kafka.revoke(user, ResourceType.GROUP, names.groupId(), AclOperation.READ);
    Throwable groupRefusal = failedRun(kafka, user, names, handled);
    assertThat(groupRefusal).hasRootCauseInstanceOf(GroupAuthorizationException.class);
    assertThat(groupRefusal.getMessage()).contains("consumer group " + names.groupId(), "READ");

    assertThat(handled).as("nothing was read while refused").isEmpty();
    assertThat(ConsumerGroupOffsets.of(kafka).committed(names.groupId())).isEmpty();

    kafka.grant(user, ResourceType.GROUP, names.groupId(), AclOperation.READ);
    try (ConsumerRunner<String, String> runner =
        runner(kafka.clientProperties(user), names, record -> handled.add(record.value()))
            .build()) {
      runner.start();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(names.groupId(), names.topic(), WAIT);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
    assertThat(handled).hasSize(5);
  }

  @Test
  void aDeadLetterTheAclsRefuseStopsTheRunnerBeforeItsRecordIsCommittedAndIsNeverLost(
      KafkaCluster kafka, TestNames names) throws Exception {
    String deadLetters = names.topic("dlt");
    kafka.createTopic(names.topic(), 1, 1);
    kafka.createTopic(deadLetters, 1, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(new ProducerRecord<>(names.topic(), 0, "k" + i, i == 2 ? "poison-2" : "v" + i));
    }
    TestRecords.of(kafka).produce(records);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    grantRead(kafka, user, names);
    TopicPartition partition = new TopicPartition(names.topic(), 0);

    try (ConsumerRunner<String, String> runner = deadLettering(kafka, user, names).build()) {
      runner.start();
      assertThat(runner.awaitTermination(WAIT)).as("stopped by itself").isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(runner.failure())
          .get()
          .isInstanceOf(HandlerFailedException.class)
          .satisfies(f -> assertThat(((HandlerFailedException) f).offset()).isEqualTo(2))
          .satisfies(f -> assertThat(f).hasRootCauseInstanceOf(TopicAuthorizationException.class))
          .satisfies(
              f ->
                  assertThat(f)
                      .hasStackTraceContaining(ProducerSendException.class.getName())
                      .hasStackTraceContaining(deadLetters))
          .satisfies(f -> assertThat(ErrorCategory.of(f)).isEqualTo(ErrorCategory.CONFIGURATION))
          .satisfies(f -> assertThat(f.getMessage()).contains("authorization failed"));
    }
    assertThat(
            ConsumerGroupOffsets.of(kafka).committed(names.groupId()).getOrDefault(partition, 0L))
        .as("never committed past the record whose dead letter failed")
        .isLessThanOrEqualTo(2L);

    kafka.grant(user, ResourceType.TOPIC, deadLetters, AclOperation.WRITE);
    try (ConsumerRunner<String, String> runner = deadLettering(kafka, user, names).build()) {
      runner.start();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(names.groupId(), names.topic(), WAIT);
    }
    List<ConsumerRecord<byte[], byte[]>> dlt = KafkaFixtures.readDeadLetters(kafka, deadLetters);
    assertThat(dlt)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .contains("poison-2");
  }

  @Test
  void anExactlyOnceRunnerWhoseOutputTheAclsRefuseStopsAtOnceAndResumesAfterTheGrant(
      KafkaCluster kafka, TestNames names) throws Exception {
    String output = names.topic("out");
    kafka.createTopic(names.topic(), 1, 1);
    kafka.createTopic(output, 1, 1);
    produce(kafka, names.topic(), 4);
    String user = user(names);
    kafka.createUser(user, PASSWORD);
    grantRead(kafka, user, names);
    // Thread 0's transactional.id; the output topic has no WRITE ACL yet.
    kafka.grant(
        user, ResourceType.TRANSACTIONAL_ID, names.transactionalId() + "-0-0", AclOperation.WRITE);

    try (ConsumerRunner<String, String> runner = copier(kafka, user, names).build()) {
      runner.start();
      assertThat(runner.awaitTermination(FAST)).as("stopped by itself, without retrying").isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      assertThat(runner.failure())
          .get()
          .isInstanceOf(ClusterAccessException.class)
          .satisfies(f -> assertThat(f).hasRootCauseInstanceOf(TopicAuthorizationException.class))
          .satisfies(f -> assertThat(f.getMessage()).contains("topic(s) " + output));
    }
    assertThat(ConsumerGroupOffsets.of(kafka).committed(names.groupId())).isEmpty();

    kafka.grant(user, ResourceType.TOPIC, output, AclOperation.WRITE);
    try (ConsumerRunner<String, String> runner = copier(kafka, user, names).build()) {
      runner.start();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(names.groupId(), names.topic(), WAIT);
    }
    assertThat(TestRecords.of(kafka).readCommitted(output, WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("v0", "v1", "v2", "v3");
  }

  private static ConsumerRunner.Builder<String, String> copier(
      KafkaCluster kafka, String user, TestNames names) {
    Map<String, Object> client = kafka.clientProperties(user);
    return ConsumerRunner.builder()
        .properties(client)
        .groupId(names.groupId())
        .topics(names.topic())
        .name(names.groupId())
        .strategy(Strategy.threadPerPartition())
        .exactlyOnce(
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .properties(client),
            names.transactionalId(),
            (in, out) -> out.send(names.topic("out"), in.key(), in.value()));
  }

  private static Throwable failedRun(
      KafkaCluster kafka, String user, TestNames names, Set<String> handled) throws Exception {
    try (ConsumerRunner<String, String> runner =
        runner(kafka.clientProperties(user), names, record -> handled.add(record.value()))
            .build()) {
      runner.start();
      assertThat(runner.awaitTermination(FAST)).as("stopped by itself").isTrue();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
      Throwable failure = runner.failure().orElseThrow();
      assertThat(failure).isInstanceOf(ClusterAccessException.class);
      assertThat(ErrorCategory.of(failure)).isEqualTo(ErrorCategory.CONFIGURATION);
      return failure;
    }
  }

  private static ConsumerRunner.Builder<String, String> deadLettering(
      KafkaCluster kafka, String user, TestNames names) {
    return runner(
            kafka.clientProperties(user),
            names,
            record -> {
              if (record.value().startsWith("poison-")) {
                throw new IllegalStateException("cannot handle " + record.value());
              }
            })
        .retry(RetryPolicy.none())
        // The dead-letter producer gets the runner's security settings (the same user).
        .onFailure(FailureAction.deadLetter(names.topic("dlt")));
  }

  private static ConsumerRunner.Builder<String, String> runner(
      Map<String, Object> client, TestNames names, RecordHandler<String, String> handler) {
    return ConsumerRunner.builder()
        .properties(client)
        .groupId(names.groupId())
        .topics(names.topic())
        .name(names.groupId())
        .commitInterval(Duration.ofMillis(200))
        .handler(handler);
  }

  private static void grantRead(KafkaCluster kafka, String user, TestNames names) {
    kafka.grant(user, ResourceType.TOPIC, names.topic(), AclOperation.READ);
    kafka.grant(user, ResourceType.GROUP, names.groupId(), AclOperation.READ);
  }

  private static void produce(KafkaCluster kafka, String topic, int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
    }
    TestRecords.of(kafka).produce(records);
  }

  private static String user(TestNames names) {
    return "u-" + names.topic();
  }
}
