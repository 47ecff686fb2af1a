package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A handler whose calls a test controls: a call for a given delivery of a given record can be held
 * ({@link #hold}) until the test releases it, normally or with a failure. Records every call it
 * starts and finishes, with how many times that record was delivered before.
 */
final class ScriptedHandler implements BatchHandler<String, String> {
  /** One handler call of one record: its {@code delivery}-th call, counting from 1. */
  record Call(TopicPartition partition, long offset, int delivery) {}

  /** A held call: entered when the handler reached it; it returns (or throws) once released. */
  static final class Hold {
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile RuntimeException failure;

    void release() {
      released.countDown();
    }

    void fail(RuntimeException error) {
      failure = error;
      released.countDown();
    }

    /** Entered and not yet released: the call is blocked here (or about to block). */
    boolean blocking() {
      return entered.getCount() == 0 && released.getCount() > 0;
    }
  }

  private final Map<Call, Hold> holds = new ConcurrentHashMap<>();
  private final Map<Call, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<List<Object>, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<Call> started = new CopyOnWriteArrayList<>();
  private final List<Call> finished = new CopyOnWriteArrayList<>();

  /** Holds the {@code delivery}-th call of the record until the test releases it. */
  Hold hold(TopicPartition partition, long offset, int delivery) {
    Hold hold = new Hold();
    holds.put(new Call(partition, offset, delivery), hold);
    return hold;
  }

  /** Makes the {@code delivery}-th call of the record throw. */
  void failAt(TopicPartition partition, long offset, int delivery, RuntimeException error) {
    failures.put(new Call(partition, offset, delivery), error);
  }

  /** Releases every hold, so no worker stays blocked after a test. */
  void releaseAll() {
    holds.values().forEach(Hold::release);
  }

  /**
   * Handler calls blocked in a hold right now. A released call no longer counts, even before its
   * thread wakes up: whoever waits for the other calls then waits for this one too.
   */
  int waiting() {
    return (int) holds.values().stream().filter(Hold::blocking).count();
  }

  List<Call> started() {
    return List.copyOf(started);
  }

  /** The offsets of the partition whose calls returned normally, in the order they returned. */
  List<Long> finished(TopicPartition partition) {
    return offsets(finished, partition, 0);
  }

  /** The offsets of the partition's {@code delivery}-th calls that returned normally. */
  List<Long> finished(TopicPartition partition, int delivery) {
    return offsets(finished, partition, delivery);
  }

  /** The offsets of the partition the handler was called with, each delivery once. */
  List<Long> started(TopicPartition partition) {
    return offsets(started, partition, 0);
  }

  private static List<Long> offsets(List<Call> calls, TopicPartition partition, int delivery) {
    List<Long> offsets = new ArrayList<>();
    for (Call call : calls) {
      if (call.partition().equals(partition) && (delivery == 0 || call.delivery() == delivery)) {
        offsets.add(call.offset());
      }
    }
    return offsets;
  }

  @Override
  public void handle(List<ConsumerRecord<String, String>> records) throws Exception {
    for (ConsumerRecord<String, String> record : records) {
      handleOne(record);
    }
  }

  /** The record handler: one record per call. */
  void handleOne(ConsumerRecord<String, String> record) throws InterruptedException {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    int delivery =
        deliveries
            .computeIfAbsent(List.of(partition, record.offset()), k -> new AtomicInteger())
            .incrementAndGet();
    Call call = new Call(partition, record.offset(), delivery);
    started.add(call);
    Hold hold = holds.get(call);
    if (hold != null) {
      hold.entered.countDown();
      if (!hold.released.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released: " + call);
      }
      if (hold.failure != null) {
        throw hold.failure;
      }
    }
    RuntimeException failure = failures.get(call);
    if (failure != null) {
      throw failure;
    }
    finished.add(call);
  }
}
