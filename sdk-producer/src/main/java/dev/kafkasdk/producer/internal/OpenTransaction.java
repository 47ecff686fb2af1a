package dev.kafkasdk.producer.internal;

import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ProducerSendException;
import dev.kafkasdk.producer.Transaction;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a transaction as seen by the body. Records every send so the runner can tell,
 * before committing, whether any of them failed.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class OpenTransaction<K, V> implements Transaction<K, V> {
  private static final Logger log = LoggerFactory.getLogger(OpenTransaction.class);
  // Only reached if a future is still pending after flush(), which Kafka completes before
  // returning; the bound keeps a broken assumption from hanging the caller.
  private static final long PENDING_AFTER_FLUSH_SECONDS = 30;

  private final Producer<K, V> producer;
  private final String transactionalId;
  private final int attempt;
  private final SendObservations observations;
  private final Set<String> warnedGroups;
  private final List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
  private boolean open = true;

  /**
   * Opens the attempt.
   *
   * @param warnedGroups groups already warned about offsets without a generation, shared by the
   *     producer's transactions so that the warning comes once per group, not once per transaction
   */
  OpenTransaction(
      Producer<K, V> producer,
      String transactionalId,
      int attempt,
      SendObservations observations,
      Set<String> warnedGroups) {
    this.producer = producer;
    this.transactionalId = transactionalId;
    this.attempt = attempt;
    this.observations = observations;
    this.warnedGroups = warnedGroups;
  }

  @Override
  public synchronized CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    Objects.requireNonNull(record, "record");
    requireOpen();
    SendObservations.ObservedSend<K, V> observed =
        observations != null ? observations.start(record) : null;
    ProducerRecord<K, V> sent = observed != null ? observed.record() : record;
    Observation observation = observed != null ? observed.observation() : null;
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    try {
      producer.send(
          sent,
          (metadata, error) -> {
            if (error == null) {
              if (observation != null) {
                SendObservations.stop(
                    observation,
                    metadata.partition(),
                    metadata.hasOffset() ? metadata.offset() : -1,
                    null);
              }
              result.complete(metadata);
            } else {
              fail(result, observation, failure(record, metadata, error));
            }
          });
    } catch (KafkaException e) {
      fail(result, observation, failure(record, null, e));
    } catch (RuntimeException e) {
      if (observation != null) {
        SendObservations.stop(observation, -1, -1, e);
      }
      throw e;
    }
    sends.add(result);
    return result;
  }

  private static void fail(
      CompletableFuture<RecordMetadata> result,
      Observation observation,
      ProducerSendException failure) {
    if (observation != null) {
      SendObservations.stop(observation, failure.partition(), -1, failure);
    }
    result.completeExceptionally(failure);
  }

  @Override
  public synchronized void sendOffsets(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    Objects.requireNonNull(offsets, "offsets");
    Objects.requireNonNull(groupMetadata, "groupMetadata");
    requireOpen();
    if (groupMetadata.generationId() < 0 && warnedGroups.add(groupMetadata.groupId())) {
      log.warn(
          "Transaction {}: offsets for group {} carry no generation, so a consumer that lost its"
              + " partitions cannot be fenced (KIP-447); pass consumer.groupMetadata() of a"
              + " subscribed consumer (logged once per group and producer)",
          transactionalId,
          groupMetadata.groupId());
    }
    producer.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public String transactionalId() {
    return transactionalId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  /**
   * Closes the transaction to further use, waits for every send, and returns the first failure.
   *
   * @return the first failed send's exception (or a flush failure), null if all succeeded
   */
  Throwable finish() {
    List<CompletableFuture<RecordMetadata>> all;
    synchronized (this) {
      open = false;
      all = List.copyOf(sends);
    }
    try {
      producer.flush();
    } catch (KafkaException e) {
      return e;
    }
    for (CompletableFuture<RecordMetadata> send : all) {
      try {
        send.get(PENDING_AFTER_FLUSH_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new org.apache.kafka.common.errors.InterruptException(e);
      } catch (java.util.concurrent.TimeoutException e) {
        return new org.apache.kafka.common.errors.TimeoutException(
            "a send of transaction " + transactionalId + " did not complete after flush()", e);
      }
    }
    return null;
  }

  /**
   * Returns the metadata of every send, in send order. Call only after {@link #finish()} returned
   * null.
   *
   * @return the metadata
   */
  List<RecordMetadata> metadata() {
    List<RecordMetadata> result = new ArrayList<>(sends.size());
    for (CompletableFuture<RecordMetadata> send : sends) {
      result.add(send.join());
    }
    return result;
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException(
          "transaction "
              + transactionalId
              + " is over: use the Transaction only inside the body passed to inTransaction");
    }
  }

  private ProducerSendException failure(
      ProducerRecord<K, V> record, RecordMetadata metadata, Exception error) {
    ErrorCategory category = ExceptionClassifier.classify(error, true);
    int partition =
        metadata != null && metadata.partition() >= 0
            ? metadata.partition()
            : record.partition() != null ? record.partition() : -1;
    return new ProducerSendException(
        record.topic(),
        partition,
        category,
        "Transactional send to "
            + record.topic()
            + " failed ["
            + category
            + ": "
            + category.action()
            + "]: "
            + error,
        error);
  }
}
