package dev.kafkasdk.producer;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What a committed transaction wrote.
 *
 * @param transactionalId the {@code transactional.id} that committed
 * @param attempts how many times the body ran (1 unless abortable failures were retried)
 * @param records metadata of the records sent by the committed attempt, in send order
 */
public record TransactionResult(
    String transactionalId, int attempts, List<RecordMetadata> records) {
  /**
   * Validates and copies the record list.
   *
   * @throws NullPointerException if {@code transactionalId} or {@code records} is null
   * @throws IllegalArgumentException if {@code attempts} is below 1
   */
  public TransactionResult {
    Objects.requireNonNull(transactionalId, "transactionalId");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    records = List.copyOf(records);
  }
}
