/**
 * Reliable Kafka producers: idempotent by default, transactional on request, with every failure
 * classified into an {@link dev.kafkasdk.producer.ErrorCategory} that says what to do next.
 *
 * <p>Entry point: {@link dev.kafkasdk.producer.ReliableProducer#builder(
 * org.apache.kafka.common.serialization.Serializer,
 * org.apache.kafka.common.serialization.Serializer)}. Meter names are listed in {@link
 * dev.kafkasdk.producer.ProducerMeters}. Classes in {@code dev.kafkasdk.producer.internal} are not
 * API.
 */
package dev.kafkasdk.producer;
