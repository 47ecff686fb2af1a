package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link ShareAcknowledgements} against a model of Kafka's explicit-mode share consumer: a record
 * can be acknowledged only while it is in the last poll's records; a poll throws while one of them
 * is unacknowledged; a renewed record comes back in a later poll. Random interleavings of polls
 * (new deliveries, renewed records coming back now or later) and worker outcomes (ACCEPT, RELEASE,
 * REJECT) must end with every record acknowledged exactly once with its own outcome, renewed only
 * while it had none.
 */
class ShareAcknowledgementsPropertiesTest {

  /** Kafka's rules, as far as the ledger depends on them. */
  private static final class ModelConsumer implements ShareAcknowledgements.Acknowledger {
    final Set<Long> fetch = new HashSet<>();
    final Set<Long> unacknowledged = new HashSet<>();
    final List<Long> renewed = new ArrayList<>();
    final Map<Long, List<AcknowledgeType>> log = new HashMap<>();
    long next;

    @Override
    public void acknowledge(ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
      if (!unacknowledged.remove(record.offset())) {
        throw new IllegalStateException("The record cannot be acknowledged: " + record.offset());
      }
      log.computeIfAbsent(record.offset(), o -> new ArrayList<>()).add(type);
      if (type == AcknowledgeType.RENEW) {
        renewed.add(record.offset());
      }
    }

    List<ConsumerRecord<byte[], byte[]>> poll(int fresh, int renewedBack) {
      if (!unacknowledged.isEmpty()) {
        throw new IllegalStateException("unacknowledged records " + unacknowledged);
      }
      fetch.clear();
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < renewedBack && !renewed.isEmpty(); i++) {
        records.add(record(renewed.remove(0)));
      }
      for (int i = 0; i < fresh; i++) {
        records.add(record(next++));
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        fetch.add(record.offset());
        unacknowledged.add(record.offset());
      }
      return records;
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
      return new ConsumerRecord<>("t", 0, offset, new byte[0], new byte[0]);
    }
  }

  private static final class NoCounts implements ShareAcknowledgements.Counts {
    int lost;

    @Override
    public void acknowledged(AcknowledgeType type) {}

    @Override
    public void lockLost() {
      lost++;
    }
  }

  @Property(tries = 500)
  void everyRecordIsAcknowledgedOnceWithItsOutcome(
      @ForAll @IntRange(min = 1, max = 200) int steps, @ForAll Random random) {
    ModelConsumer kafka = new ModelConsumer();
    ShareAcknowledgements ledger = new ShareAcknowledgements(kafka, new NoCounts());
    List<Long> running = new ArrayList<>();
    Map<Long, AcknowledgeType> outcomes = new LinkedHashMap<>();
    AcknowledgeType[] types = {
      AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE, AcknowledgeType.REJECT
    };
    long now = 0;
    for (int step = 0; step < steps; step++) {
      now += 1_000;
      if (running.isEmpty() || random.nextInt(3) == 0) {
        ledger.renewFetch(now);
        for (ConsumerRecord<byte[], byte[]> fresh :
            ledger.polled(kafka.poll(random.nextInt(4), random.nextInt(3)), now)) {
          running.add(fresh.offset());
        }
      } else {
        long offset = running.remove(random.nextInt(running.size()));
        AcknowledgeType outcome = types[random.nextInt(types.length)];
        outcomes.put(offset, outcome);
        assertThat(ledger.completed(new ShareAcknowledgements.RecordId("t", 0, offset), outcome))
            .isTrue();
      }
    }
    // Finish every record, then poll until every renewed record came back and was acknowledged.
    for (long offset : running) {
      outcomes.put(offset, AcknowledgeType.ACCEPT);
      ledger.completed(new ShareAcknowledgements.RecordId("t", 0, offset), AcknowledgeType.ACCEPT);
    }
    while (ledger.inFlight() > 0) {
      ledger.renewFetch(now);
      ledger.polled(kafka.poll(0, 1), now);
    }
    assertThat(kafka.unacknowledged).isEmpty();
    assertThat(kafka.log.keySet()).isEqualTo(outcomes.keySet());
    for (Map.Entry<Long, AcknowledgeType> outcome : outcomes.entrySet()) {
      List<AcknowledgeType> sent = kafka.log.get(outcome.getKey());
      // Renewals while it ran, then its own outcome, once, last.
      assertThat(sent.get(sent.size() - 1)).isEqualTo(outcome.getValue());
      assertThat(sent.subList(0, sent.size() - 1))
          .allSatisfy(type -> assertThat(type).isEqualTo(AcknowledgeType.RENEW));
    }
  }

  @Test
  void anOutcomeForARenewedRecordWaitsUntilAPollReturnsIt() {
    ModelConsumer kafka = new ModelConsumer();
    ShareAcknowledgements ledger = new ShareAcknowledgements(kafka, new NoCounts());
    ledger.polled(kafka.poll(1, 0), 0);
    assertThat(ledger.renewFetch(1)).isEqualTo(1);
    ledger.polled(kafka.poll(0, 0), 2);
    ShareAcknowledgements.RecordId id = new ShareAcknowledgements.RecordId("t", 0, 0);
    assertThat(ledger.completed(id, AcknowledgeType.ACCEPT)).isTrue();
    assertThat(kafka.log.get(0L)).containsExactly(AcknowledgeType.RENEW);
    ledger.polled(kafka.poll(0, 1), 3);
    assertThat(kafka.log.get(0L)).containsExactly(AcknowledgeType.RENEW, AcknowledgeType.ACCEPT);
    assertThat(ledger.inFlight()).isZero();
  }

  @Test
  void aRenewalKafkaRefusedOrThatNeverCameBackLosesTheRecord() {
    ModelConsumer kafka = new ModelConsumer();
    NoCounts counts = new NoCounts();
    ShareAcknowledgements ledger = new ShareAcknowledgements(kafka, counts);
    ledger.polled(kafka.poll(2, 0), 0);
    ledger.renewFetch(10);
    ledger.refused("t", 0, List.of(0L));
    ledger.expire(10 + 100, 50);
    assertThat(ledger.inFlight()).isZero();
    assertThat(counts.lost).isEqualTo(2);
    // Their outcomes are dropped: Kafka delivers them again.
    assertThat(
            ledger.completed(new ShareAcknowledgements.RecordId("t", 0, 0), AcknowledgeType.ACCEPT))
        .isFalse();
  }

  @Test
  void closingReleasesTheFetchAndASecondOutcomeIsABug() {
    ModelConsumer kafka = new ModelConsumer();
    ShareAcknowledgements ledger = new ShareAcknowledgements(kafka, new NoCounts());
    ledger.polled(kafka.poll(3, 0), 0);
    ShareAcknowledgements.RecordId first = new ShareAcknowledgements.RecordId("t", 0, 0);
    ledger.completed(first, AcknowledgeType.ACCEPT);
    assertThat(ledger.releaseFetch()).isEqualTo(2);
    assertThat(kafka.log.get(1L)).containsExactly(AcknowledgeType.RELEASE);
    assertThat(kafka.unacknowledged).isEmpty();
    ledger.polled(kafka.poll(1, 0), 1);
    ShareAcknowledgements.RecordId third = new ShareAcknowledgements.RecordId("t", 0, 3);
    ledger.renewFetch(2);
    ledger.completed(third, AcknowledgeType.REJECT);
    assertThatThrownBy(() -> ledger.completed(third, AcknowledgeType.ACCEPT))
        .isInstanceOf(IllegalStateException.class);
  }
}
