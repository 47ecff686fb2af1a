package dev.kafkasdk.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The hand-written kafka-clients code each SDK variant is compared against: what a careful user
 * would write without the SDK.
 */
final class RawBaselines {
  private RawBaselines() {}

  /**
   * Sends {@code records} values asynchronously with a failure-counting callback and waits for
   * every acknowledgement.
   */
  static Trial produce(Map<String, Object> config, String topic, int records, byte[] value) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      return sendAll(topic, records, value, producer::send, producer::flush);
    }
  }

  /**
   * The idempotent producer loop, the same for the raw producer and the SDK's callback form: every
   * send shares one failure-counting callback; after the flush the trial fails if any send did.
   */
  static Trial sendAll(
      String topic,
      int records,
      byte[] value,
      BiConsumer<ProducerRecord<String, byte[]>, Callback> send,
      Runnable flush) {
    SendFailures failures = new SendFailures();
    long started = System.nanoTime();
    for (int i = 0; i < records; i++) {
      send.accept(new ProducerRecord<>(topic, "key-" + (i % 1000), value), failures);
    }
    flush.run();
    failures.check(topic);
    return Trial.throughput(records, (long) records * value.length, System.nanoTime() - started);
  }

  /** Sends in transactions of {@code perTransaction} records. */
  static Trial produceTransactionally(
      Map<String, Object> config, String topic, int records, byte[] value, int perTransaction)
      throws Exception {
    Map<String, Object> txConfig = new java.util.HashMap<>(config);
    txConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Workloads.freshName("raw-tx"));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(txConfig, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      long started = System.nanoTime();
      for (int sent = 0; sent < records; ) {
        producer.beginTransaction();
        int end = Math.min(records, sent + perTransaction);
        for (; sent < end; sent++) {
          producer.send(new ProducerRecord<>(topic, "key-" + (sent % 1000), value));
        }
        producer.commitTransaction();
      }
      return Trial.throughput(records, (long) records * value.length, System.nanoTime() - started);
    }
  }

  /**
   * A single consumer's poll loop that runs {@code handler} on the poll thread and commits
   * asynchronously once a second, until {@code records} records were handled.
   */
  static Trial pollLoop(
      Map<String, Object> config,
      String topic,
      long records,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long handled = 0;
      long bytes = 0;
      long started = System.nanoTime();
      long first = 0;
      long lastCommit = started;
      CpuPerRecord cpu = null;
      FetchCounts fetches = null;
      while (handled < records) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          handler.accept(record);
          if (handled == 0) {
            first = System.nanoTime();
            cpu = CpuPerRecord.onThisThread(1);
            fetches = FetchCounts.start(String.valueOf(config.get(ConsumerConfig.GROUP_ID_CONFIG)));
          }
          handled++;
          bytes += record.serializedValueSize();
        }
        if (System.nanoTime() - lastCommit > 1_000_000_000L) {
          consumer.commitAsync();
          lastCommit = System.nanoTime();
        }
      }
      long ended = System.nanoTime();
      Trial trial =
          fetches.addTo(cpu.addTo(Trial.consumed(handled, bytes, started, first, ended), handled));
      consumer.commitSync();
      return trial;
    }
  }

  /**
   * The floor of handing records to other threads: what an experienced user writes for a
   * multi-worker consumer that commits only after processing. One consumer polls on the calling
   * thread; each poll's records are cut into at most {@code workers} contiguous chunks of about
   * equal size (a chunk per worker, not a task per record: one hand-off per chunk, and every worker
   * has work even when a poll returns one partition's records), run on a fixed pool of platform
   * threads named {@code <threadPrefix>-worker-N}; the poll thread waits for the whole poll to
   * finish and only then may commit (asynchronously, at most once a second like {@link #pollLoop}),
   * so a commit never passes an unprocessed record. No ordering beyond that (records of a partition
   * may run at once on two workers). Runs until {@code records} records were handled; a handler
   * failure fails the trial.
   *
   * @param handler called on the workers, concurrently
   * @param firstNanos when the handler was first called, for the trial's steady rate
   * @param bytes the value bytes the handler saw
   */
  static Trial workerPoolLoop(
      Map<String, Object> config,
      String topic,
      long records,
      int workers,
      String threadPrefix,
      Consumer<ConsumerRecord<byte[], byte[]>> handler,
      LongSupplier firstNanos,
      LongSupplier bytes)
      throws InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            task -> new Thread(task, threadPrefix + "-worker-" + threads.getAndIncrement()));
    // All of them now, so the CPU count (which finds them by name after the first poll) has them
    // all even if that poll had fewer records than workers.
    pool.prestartAllCoreThreads();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long handled = 0;
      long started = System.nanoTime();
      long lastCommit = started;
      CpuPerRecord cpu = null;
      FetchCounts fetches = null;
      List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
      while (handled < records) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (batch.isEmpty()) {
          continue;
        }
        polled.clear();
        batch.forEach(polled::add);
        List<List<ConsumerRecord<byte[], byte[]>>> chunks = chunks(polled, workers);
        CountDownLatch done = new CountDownLatch(chunks.size());
        for (List<ConsumerRecord<byte[], byte[]>> chunk : chunks) {
          pool.execute(
              () -> {
                try {
                  for (ConsumerRecord<byte[], byte[]> record : chunk) {
                    handler.accept(record);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                } finally {
                  done.countDown();
                }
              });
        }
        done.await();
        if (failure.get() != null) {
          throw new IllegalStateException("a handler failed", failure.get());
        }
        if (handled == 0) {
          // From the end of the first poll on, like the raw loop from its first record.
          cpu = CpuPerRecord.onThisThreadAndWorkers(threadPrefix, polled.size());
          fetches = FetchCounts.start(String.valueOf(config.get(ConsumerConfig.GROUP_ID_CONFIG)));
        }
        handled += polled.size();
        if (System.nanoTime() - lastCommit > 1_000_000_000L) {
          consumer.commitAsync();
          lastCommit = System.nanoTime();
        }
      }
      long ended = System.nanoTime();
      Trial trial =
          fetches.addTo(
              cpu.addTo(
                  Trial.consumed(
                      handled, bytes.getAsLong(), started, firstNanos.getAsLong(), ended),
                  handled));
      consumer.commitSync();
      return trial;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * {@code records} cut into at most {@code parts} contiguous views of sizes differing by at most
   * one, in order; none empty.
   */
  static <T> List<List<T>> chunks(List<T> records, int parts) {
    int count = Math.min(parts, records.size());
    List<List<T>> chunks = new ArrayList<>(count);
    int from = 0;
    for (int i = 0; i < count; i++) {
      int to = from + (records.size() - from) / (count - i);
      chunks.add(records.subList(from, to));
      from = to;
    }
    return chunks;
  }

  /**
   * A single share consumer's poll loop (KIP-932) in implicit acknowledgement mode (each poll
   * accepts every record of the previous one: the cheapest a user can write), running {@code
   * handler} on the poll thread until {@code records} distinct records were handled.
   */
  static Trial sharePollLoop(
      Map<String, Object> config,
      String topic,
      long records,
      HandledOffsets handled,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    Map<String, Object> share = new java.util.HashMap<>(config);
    share.put("share.acknowledgement.mode", "implicit");
    try (KafkaShareConsumer<byte[], byte[]> consumer =
        new KafkaShareConsumer<>(share, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long bytes = 0;
      long started = System.nanoTime();
      long first = 0;
      CpuPerRecord cpu = null;
      while (handled.distinct() < records) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          handler.accept(record);
          if (first == 0) {
            first = System.nanoTime();
            cpu = CpuPerRecord.onThisThread(1);
          }
          if (handled.mark(record.partition(), record.offset())) {
            bytes += record.serializedValueSize();
          }
        }
      }
      long ended = System.nanoTime();
      Trial trial =
          cpu.addTo(
              Trial.consumed(handled.distinct(), bytes, started, first, ended), handled.distinct());
      consumer.commitSync();
      return trial;
    }
  }

  /** Collects nothing; keeps the JIT from removing a handler's work. */
  static final class Sink {
    private final List<Object> kept = new ArrayList<>(1);
    private long count;

    void accept(Object value) {
      count++;
      if ((count & 0xFFFFF) == 0) {
        kept.clear();
        kept.add(value);
      }
    }

    long count() {
      return count;
    }
  }
}
