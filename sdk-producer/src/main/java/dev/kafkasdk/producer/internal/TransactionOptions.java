package dev.kafkasdk.producer.internal;

import java.time.Duration;

/**
 * Transaction settings as given to the builder, before validation.
 *
 * @param idPrefix transactional.id prefix
 * @param transactionTimeout transaction.timeout.ms, or null for Kafka's default
 * @param maxAttempts how often a transaction body may run
 * @param commitAttempts how often a timed-out commit is retried
 * @param maxAge age after which a producer is replaced before its next transaction
 * @param leaseTimeout how long a pool waits for a free producer
 */
public record TransactionOptions(
    String idPrefix,
    Duration transactionTimeout,
    int maxAttempts,
    int commitAttempts,
    Duration maxAge,
    Duration leaseTimeout) {}
