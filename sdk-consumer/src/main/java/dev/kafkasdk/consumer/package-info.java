/**
 * Consumer runners that process records on many threads and commit an offset only after every
 * record below it has been processed.
 *
 * <p>Start with {@link dev.kafkasdk.consumer.ConsumerRunner#builder()}. Two strategies are offered:
 * {@link dev.kafkasdk.consumer.Strategy#threadPerPartition() thread-per-partition} (one consumer
 * per thread, records of a partition processed in order) and {@link
 * dev.kafkasdk.consumer.Strategy#multiWorker(int, Ordering) multi-worker} (one consumer, a worker
 * pool, and an {@link dev.kafkasdk.consumer.Ordering ordering mode}). Meter names are listed in
 * {@link dev.kafkasdk.consumer.ConsumerMeters}.
 *
 * <p>Packages named {@code internal} are implementation details and must not be imported.
 */
package dev.kafkasdk.consumer;
