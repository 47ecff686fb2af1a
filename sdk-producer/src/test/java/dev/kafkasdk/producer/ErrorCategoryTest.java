package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.BootstrapResolutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.ControllerIdNotRegisteredException;
import org.apache.kafka.common.errors.GroupDeletionFailedException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.StreamsTopologyDescriptionUpdateFailedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The classification table of docs/producer.md, row by row. */
class ErrorCategoryTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // exception, non-transactional category, transactional category
        row(
            new NotEnoughReplicasException("isr"),
            ErrorCategory.RETRIABLE,
            ErrorCategory.ABORTABLE),
        row(new TimeoutException("expired"), ErrorCategory.RETRIABLE, ErrorCategory.ABORTABLE),
        row(new NetworkException("down"), ErrorCategory.RETRIABLE, ErrorCategory.ABORTABLE),
        row(new UnknownServerException("?"), ErrorCategory.RETRIABLE, ErrorCategory.ABORTABLE),
        // New in Kafka 4.4; Admin and Streams errors, classified like any other broker refusal.
        row(
            new GroupDeletionFailedException("del"),
            ErrorCategory.RETRIABLE,
            ErrorCategory.ABORTABLE),
        row(
            new ControllerIdNotRegisteredException("id"),
            ErrorCategory.RETRIABLE,
            ErrorCategory.ABORTABLE),
        row(
            new StreamsTopologyDescriptionUpdateFailedException("topology"),
            ErrorCategory.RETRIABLE,
            ErrorCategory.ABORTABLE),
        row(
            new org.apache.kafka.common.errors.InterruptException(new InterruptedException()),
            ErrorCategory.RETRIABLE,
            ErrorCategory.ABORTABLE),
        row(
            new TransactionAbortableException("abortable"),
            ErrorCategory.ABORTABLE,
            ErrorCategory.ABORTABLE),
        row(new CommitFailedException(), ErrorCategory.ABORTABLE, ErrorCategory.ABORTABLE),
        row(new ProducerFencedException("f"), fatal(), fatal()),
        row(new InvalidProducerEpochException("e"), fatal(), fatal()),
        row(new InvalidPidMappingException("p"), fatal(), fatal()),
        row(new OutOfOrderSequenceException("o"), fatal(), fatal()),
        row(new UnknownProducerIdException("u"), fatal(), fatal()),
        row(new InvalidTxnStateException("s"), fatal(), fatal()),
        row(new KafkaException("Producer is closed forcefully."), fatal(), fatal()),
        row(new IllegalStateException("unknown"), fatal(), fatal()),
        row(new RecordTooLargeException("big"), invalid(), invalid()),
        row(new SerializationException("bad"), invalid(), invalid()),
        row(new InvalidRecordException("null key"), invalid(), invalid()),
        row(new AuthenticationException("who"), config(), config()),
        row(new TopicAuthorizationException("acl"), config(), config()),
        row(new ClusterAuthorizationException("acl"), config(), config()),
        row(new TransactionalIdAuthorizationException("acl"), config(), config()),
        row(new UnsupportedVersionException("old"), config(), config()),
        row(new BootstrapResolutionException("no such host"), config(), config()),
        row(new InvalidTopicException("bad"), config(), config()),
        row(new RecordBatchTooLargeException("batch"), config(), config()),
        row(new InvalidTxnTimeoutException("timeout"), config(), config()),
        row(new ConfigException("x", 1, "bad"), config(), config()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifiesLikeTheTable(
      Throwable error, ErrorCategory nonTransactional, ErrorCategory transactional) {
    assertThat(ErrorCategory.of(error)).isEqualTo(nonTransactional);
    assertThat(ErrorCategory.ofTransactional(error)).isEqualTo(transactional);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void looksThroughWrappers(
      Throwable error, ErrorCategory nonTransactional, ErrorCategory transactional) {
    // A defunct producer rethrows its error wrapped in a KafkaException; futures add their own.
    Throwable wrapped =
        new CompletionException(
            new ExecutionException(new KafkaException("in an error state", error)));
    assertThat(ErrorCategory.of(wrapped)).isEqualTo(nonTransactional);
    assertThat(ErrorCategory.ofTransactional(wrapped)).isEqualTo(transactional);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void sdkExceptionsKeepTheirCategory(Throwable error, ErrorCategory nonTransactional) {
    ProducerSendException sdk =
        new ProducerSendException("t", 0, nonTransactional, "failed", error);
    assertThat(ErrorCategory.of(new CompletionException(sdk))).isEqualTo(nonTransactional);
  }

  private static Arguments row(Throwable error, ErrorCategory plain, ErrorCategory inTx) {
    return Arguments.of(error, plain, inTx);
  }

  private static ErrorCategory fatal() {
    return ErrorCategory.PRODUCER_FATAL;
  }

  private static ErrorCategory invalid() {
    return ErrorCategory.INVALID_RECORD;
  }

  private static ErrorCategory config() {
    return ErrorCategory.CONFIGURATION;
  }
}
