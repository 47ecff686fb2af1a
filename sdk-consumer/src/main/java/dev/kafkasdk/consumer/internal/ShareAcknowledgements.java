package dev.kafkasdk.consumer.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The acknowledgement ledger of one share consumer: the records it acquired and has not yet
 * acknowledged. It owns the invariant of the share-group runner: <em>every acquired record is
 * acknowledged at most once per delivery, by the poll thread, and only with the outcome its worker
 * reported</em> ({@code ACCEPT} only after the handler succeeded, {@code REJECT} only after the
 * failure action took the record, for a dead letter once Kafka acknowledged it; {@code RELEASE} for
 * a retry or an abandoned record). Nothing else calls {@code acknowledge}.
 *
 * <p>Kafka's rules that shape it (KafkaShareConsumer Javadoc, KIP-932 and KIP-1222): in explicit
 * mode a record can be acknowledged only while it belongs to the last {@code poll()}'s records, and
 * {@code poll()} throws unless every one of them was acknowledged; a record still being processed
 * is acknowledged with {@code RENEW}, which extends its lock, and is then returned again by a later
 * {@code poll()}. So an entry is either <em>in the fetch</em> (acknowledgeable now) or
 * <em>renewing</em> (its renewal was sent; it can be acknowledged again once a poll returns it). An
 * outcome reported for a renewing record waits in the entry until then.
 *
 * <p>Poll thread only; not thread-safe.
 */
final class ShareAcknowledgements {

  /** Sends one acknowledgement; the consumer's {@code acknowledge(record, type)}. */
  @FunctionalInterface
  interface Acknowledger {
    void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type);
  }

  /** What the ledger did, for the meters. */
  interface Counts {
    void acknowledged(AcknowledgeType type);

    /** A record's lock was lost while it was processed: its outcome cannot be sent. */
    void lockLost();
  }

  /** A record's identity across deliveries. */
  record RecordId(String topic, int partition, long offset) {
    static RecordId of(ConsumerRecord<?, ?> record) {
      return new RecordId(record.topic(), record.partition(), record.offset());
    }
  }

  private static final class Entry {
    ConsumerRecord<byte[], byte[]> record;
    boolean inFetch;
    AcknowledgeType outcome;
    long lockSinceNanos;

    Entry(ConsumerRecord<byte[], byte[]> record, long now) {
      this.record = record;
      this.inFetch = true;
      this.lockSinceNanos = now;
    }
  }

  private final Map<RecordId, Entry> entries = new LinkedHashMap<>();
  private final Acknowledger acknowledger;
  private final Counts counts;

  ShareAcknowledgements(Acknowledger acknowledger, Counts counts) {
    this.acknowledger = acknowledger;
    this.counts = counts;
  }

  /**
   * Takes the records of a poll: they are now the fetch. Records the ledger holds came back after a
   * renewal (their waiting outcomes are acknowledged now); the others are new deliveries, returned
   * for dispatch.
   *
   * @param polled the poll's records
   * @param now {@code System.nanoTime()}
   * @return the new deliveries, in poll order
   */
  List<ConsumerRecord<byte[], byte[]>> polled(
      Iterable<ConsumerRecord<byte[], byte[]>> polled, long now) {
    List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
    for (Entry entry : entries.values()) {
      // Whatever the last fetch held was acknowledged or renewed before this poll.
      entry.inFetch = false;
    }
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      RecordId id = RecordId.of(record);
      Entry entry = entries.get(id);
      if (entry == null) {
        entries.put(id, new Entry(record, now));
        fresh.add(record);
        continue;
      }
      entry.record = record;
      entry.inFetch = true;
      entry.lockSinceNanos = now;
      if (entry.outcome != null) {
        send(id, entry, entry.outcome);
      }
    }
    return fresh;
  }

  /**
   * A worker's outcome for a record: acknowledged now if the record is in the fetch, else when a
   * poll returns it. An outcome for a record the ledger no longer holds (its lock was lost) is
   * dropped: Kafka delivers that record again.
   *
   * @return false if the record is unknown
   */
  boolean completed(RecordId id, AcknowledgeType outcome) {
    if (outcome == AcknowledgeType.RENEW) {
      throw new IllegalArgumentException("RENEW is not an outcome");
    }
    Entry entry = entries.get(id);
    if (entry == null) {
      return false;
    }
    if (entry.outcome != null) {
      throw new IllegalStateException("a second outcome for " + id + ": " + outcome);
    }
    entry.outcome = outcome;
    if (entry.inFetch) {
      send(id, entry, outcome);
    }
    return true;
  }

  /**
   * Forgets a record without acknowledging it: its worker failed the runner, and the record's lock
   * runs out (or the consumer's close releases it), so Kafka delivers it again.
   */
  void forget(RecordId id) {
    entries.remove(id);
  }

  /** Whether every record of the fetch has been acknowledged, so a poll needs no renewal. */
  boolean fetchSettled() {
    for (Entry entry : entries.values()) {
      if (entry.inFetch) {
        return false;
      }
    }
    return true;
  }

  /** Records renewed and not yet returned by a poll. */
  int awaitingReturn() {
    int count = 0;
    for (Entry entry : entries.values()) {
      if (!entry.inFetch) {
        count++;
      }
    }
    return count;
  }

  /** Records acquired and not yet acknowledged with an outcome. */
  int inFlight() {
    return entries.size();
  }

  /**
   * When the oldest lock of a record in the fetch was taken (or last renewed), or {@code
   * Long.MAX_VALUE} if none is in the fetch.
   */
  long oldestLockNanos() {
    long oldest = Long.MAX_VALUE;
    for (Entry entry : entries.values()) {
      if (entry.inFetch && (oldest == Long.MAX_VALUE || entry.lockSinceNanos - oldest < 0)) {
        oldest = entry.lockSinceNanos;
      }
    }
    return oldest;
  }

  /**
   * Renews every record of the fetch still in flight, before the next poll: after this the fetch is
   * settled.
   *
   * @return how many were renewed
   */
  int renewFetch(long now) {
    int renewed = 0;
    for (Map.Entry<RecordId, Entry> e : entries.entrySet()) {
      Entry entry = e.getValue();
      if (entry.inFetch) {
        acknowledger.acknowledge(entry.record, AcknowledgeType.RENEW);
        counts.acknowledged(AcknowledgeType.RENEW);
        entry.inFetch = false;
        entry.lockSinceNanos = now;
        renewed++;
      }
    }
    return renewed;
  }

  /**
   * Drops the records whose renewal or acknowledgement Kafka refused (the commit callback's failed
   * offsets): their locks are gone and Kafka delivers them again. A record that is back in the
   * fetch was delivered again already and stays.
   */
  void refused(String topic, int partition, Collection<Long> offsets) {
    for (long offset : offsets) {
      RecordId id = new RecordId(topic, partition, offset);
      Entry entry = entries.get(id);
      if (entry != null && !entry.inFetch) {
        entries.remove(id);
        counts.lockLost();
      }
    }
  }

  /**
   * Drops renewed records that no poll returned within the lock duration: their lock ran out and
   * Kafka delivers them again. Safety net for a renewal whose refusal was never reported.
   */
  void expire(long now, long lockNanos) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry entry = it.next();
      if (!entry.inFetch && now - entry.lockSinceNanos > lockNanos) {
        it.remove();
        counts.lockLost();
      }
    }
  }

  /**
   * At close: releases every record of the fetch still in flight, so another consumer gets it at
   * once. Renewing records cannot be acknowledged any more; the consumer's close releases them.
   *
   * @return how many were released
   */
  int releaseFetch() {
    int released = 0;
    Iterator<Map.Entry<RecordId, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Entry entry = it.next().getValue();
      if (entry.inFetch && entry.outcome == null) {
        acknowledger.acknowledge(entry.record, AcknowledgeType.RELEASE);
        counts.acknowledged(AcknowledgeType.RELEASE);
        it.remove();
        released++;
      }
    }
    return released;
  }

  private void send(RecordId id, Entry entry, AcknowledgeType type) {
    acknowledger.acknowledge(entry.record, type);
    counts.acknowledged(type);
    entries.remove(id);
  }
}
