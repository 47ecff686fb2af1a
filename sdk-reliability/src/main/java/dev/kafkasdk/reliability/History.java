package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Commit;
import dev.kafkasdk.reliability.Events.DeadLetter;
import dev.kafkasdk.reliability.Events.Delivery;
import dev.kafkasdk.reliability.Events.InjectedAbort;
import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.reliability.Events.Send;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * A thread-safe log of everything a reliability run did: sends, handler deliveries, transactions
 * aborted on purpose, commits, and the final drains of the input and output topics. {@link
 * HistoryChecker} judges it afterwards.
 */
public final class History {
  private final ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
  private final AtomicInteger deliveryCount = new AtomicInteger();
  private final ConcurrentLinkedQueue<InjectedAbort> aborts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Commit> commits = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Logged> input = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Logged> output = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();

  /**
   * Records a send outcome.
   *
   * @param send the outcome
   */
  public void send(Send send) {
    sends.add(send);
  }

  /**
   * Records a finished handler invocation.
   *
   * @param delivery the invocation
   */
  public void delivery(Delivery delivery) {
    deliveries.add(delivery);
    deliveryCount.incrementAndGet();
  }

  /**
   * Returns how many deliveries were recorded, without copying them (cheap enough to poll).
   *
   * @return the count
   */
  public int deliveryCount() {
    return deliveryCount.get();
  }

  /**
   * Records a transaction that a copier made fail on purpose.
   *
   * @param abort the injected failure
   */
  public void injectedAbort(InjectedAbort abort) {
    aborts.add(abort);
  }

  /**
   * Records an offset commit attempt.
   *
   * @param commit the attempt
   */
  public void commit(Commit commit) {
    commits.add(commit);
  }

  /**
   * Records a record of the input topic found by the final drain.
   *
   * @param logged the record
   */
  public void inputLogged(Logged logged) {
    input.add(logged);
  }

  /**
   * Records a record of the output topic (of a copier) found by the final drain.
   *
   * @param logged the record
   */
  public void outputLogged(Logged logged) {
    output.add(logged);
  }

  /**
   * Returns the sum over partitions of the highest committed offset recorded so far: for a topic
   * without transaction markers, the number of records the group has committed past.
   *
   * @return the total
   */
  public long committedTotal() {
    Map<TopicPartition, Long> last = new HashMap<>();
    commits.forEach(c -> last.merge(c.partition(), c.offset(), Math::max));
    return last.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Records a record found by the final drain of a dead-letter topic.
   *
   * @param deadLetter the record
   */
  public void deadLetterLogged(DeadLetter deadLetter) {
    deadLetters.add(deadLetter);
  }

  /** Returns a snapshot of the sends. */
  List<Send> sends() {
    return new ArrayList<>(sends);
  }

  /** Returns a snapshot of the deliveries. */
  List<Delivery> deliveries() {
    return new ArrayList<>(deliveries);
  }

  /** Returns a snapshot of the injected aborts. */
  List<InjectedAbort> injectedAborts() {
    return new ArrayList<>(aborts);
  }

  /** Returns a snapshot of the commits. */
  List<Commit> commits() {
    return new ArrayList<>(commits);
  }

  /** Returns a snapshot of the input drain. */
  List<Logged> input() {
    return new ArrayList<>(input);
  }

  /** Returns a snapshot of the output drain. */
  List<Logged> output() {
    return new ArrayList<>(output);
  }

  /** Returns a snapshot of the dead-letter drain. */
  List<DeadLetter> deadLetters() {
    return new ArrayList<>(deadLetters);
  }
}
