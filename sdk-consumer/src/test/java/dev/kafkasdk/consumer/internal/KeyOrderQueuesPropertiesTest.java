package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.TopicPartition;

/**
 * The key-order rules of {@link KeyOrderQueues} against a small model of a retry chain, without a
 * broker. Generated: records of up to four keys (one of them the null key) on one main partition,
 * how often each fails before it succeeds, the number of stages, and a schedule that picks which
 * topic steps next and which key's first record in it (lanes of different keys and topics run in
 * any order; a key's records in one topic in order), with queue rebuilds from the retry topics'
 * contents (a restart) mixed in. Every interleaving must end with each record either handled
 * successfully once or dead-lettered once, each non-null key's handler calls in offset order, and
 * no record ever entering a stage before an earlier pending record of its key.
 */
class KeyOrderQueuesPropertiesTest {
  private static final TopicPartition MAIN = new TopicPartition("orders", 0);

  /** A record in a topic of the model. */
  record Entry(long offset, Integer key) {}

  @Property(tries = 1000)
  void eachKeysCallsStayInOffsetOrderAndEveryRecordEndsOnce(
      @ForAll @IntRange(min = 1, max = 3) int stages,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 3) Integer> keys,
      @ForAll @Size(min = 10, max = 10) List<@IntRange(min = 0, max = 4) Integer> failures,
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 99) Integer> schedule) {
    int n = keys.size();
    List<Deque<Entry>> topics = new ArrayList<>();
    for (int s = 0; s <= stages; s++) {
      topics.add(new ArrayDeque<>());
    }
    for (int i = 0; i < n; i++) {
      // Key 0 stands for the null key: never ordered.
      topics.get(0).add(new Entry(i, keys.get(i) == 0 ? null : keys.get(i)));
    }
    int[] failsLeft = new int[n];
    int[] ownRetries = new int[n];
    int[] successes = new int[n];
    int[] deadLettered = new int[n];
    int[] calls = new int[n];
    for (int i = 0; i < n; i++) {
      failsLeft[i] = failures.get(i);
    }
    Map<Integer, List<Long>> callsByKey = new HashMap<>();
    KeyOrderQueues queues = new KeyOrderQueues();

    int step = 0;
    while (topics.stream().anyMatch(t -> !t.isEmpty())) {
      assertThat(step).as("no progress").isLessThan(5_000);
      int pick = schedule.get(step % schedule.size()) + step;
      step++;
      if (schedule.get(step % schedule.size()) >= 95) {
        queues = rebuilt(topics);
      }
      List<Integer> busy = new ArrayList<>();
      for (int s = 0; s <= stages; s++) {
        if (!topics.get(s).isEmpty()) {
          busy.add(s);
        }
      }
      int stage = busy.get(pick % busy.size());
      Entry entry = firstOfSomeKey(topics.get(stage), pick);
      int i = (int) entry.offset();
      byte[] key = bytes(entry.key());
      KeyOrderQueues.Route route =
          stage == 0 ? queues.main(MAIN, key, i) : queues.retry(MAIN, key, i, stage);
      if (route instanceof KeyOrderQueues.Route.Follow follow) {
        topics.get(follow.stage()).add(entry);
        continue;
      }
      assertThat(route).isInstanceOf(KeyOrderQueues.Route.Handle.class);
      calls[i]++;
      if (entry.key() != null) {
        callsByKey.computeIfAbsent(entry.key(), k -> new ArrayList<>()).add(entry.offset());
      }
      if (failsLeft[i] > 0) {
        failsLeft[i]--;
        // A record's own retries decide its next stage, wherever it followed others to.
        if (ownRetries[i] == stages) {
          queues.left(MAIN, key, i);
          deadLettered[i]++;
        } else {
          ownRetries[i]++;
          queues.movedTo(MAIN, key, i, ownRetries[i]);
          topics.get(ownRetries[i]).add(entry);
        }
      } else {
        successes[i]++;
        queues.left(MAIN, key, i);
      }
    }

    for (int i = 0; i < n; i++) {
      assertThat(successes[i] + deadLettered[i]).as("record %d ends once", i).isEqualTo(1);
      // Following costs a record none of its retries.
      assertThat(calls[i])
          .as("calls of record %d", i)
          .isEqualTo(Math.min(failures.get(i), stages) + 1);
      assertThat(successes[i])
          .as("record %d succeeds", i)
          .isEqualTo(failures.get(i) <= stages ? 1 : 0);
    }
    for (Map.Entry<Integer, List<Long>> byKey : callsByKey.entrySet()) {
      assertThat(byKey.getValue()).as("calls of key %d", byKey.getKey()).isSorted();
    }
    assertThat(queues.pending(MAIN)).isZero();
  }

  /**
   * Copies delivered again after a crash: a main record already in the chain and a retry copy that
   * is not the record's current one are skipped; a main record ahead of every queued one (handled
   * before the crash) is handled; a null key is never queued.
   */
  @Example
  void staleCopiesAreSkippedAndNullKeysAreNotOrdered() {
    KeyOrderQueues queues = new KeyOrderQueues();
    byte[] k = bytes(1);
    queues.movedTo(MAIN, k, 5, 2);
    queues.movedTo(MAIN, k, 7, 1);
    assertThat(queues.main(MAIN, k, 5)).isEqualTo(KeyOrderQueues.Route.SKIP);
    assertThat(queues.main(MAIN, k, 3)).isEqualTo(KeyOrderQueues.Route.HANDLE);
    assertThat(queues.retry(MAIN, k, 5, 1)).isEqualTo(KeyOrderQueues.Route.SKIP);
    assertThat(queues.retry(MAIN, k, 5, 2)).isEqualTo(KeyOrderQueues.Route.HANDLE);
    // 7 waits behind 5, in 5's stage.
    assertThat(queues.retry(MAIN, k, 7, 1)).isEqualTo(new KeyOrderQueues.Route.Follow(2));
    assertThat(queues.main(MAIN, k, 9)).isEqualTo(new KeyOrderQueues.Route.Follow(2));
    assertThat(queues.pending(MAIN)).isEqualTo(3);
    assertThat(queues.main(MAIN, null, 10)).isEqualTo(KeyOrderQueues.Route.HANDLE);
    queues.movedTo(MAIN, null, 10, 1);
    assertThat(queues.pending(MAIN)).isEqualTo(3);
    queues.drop(MAIN);
    assertThat(queues.pending(MAIN)).isZero();
  }

  /** The first record of one of the keys in the topic, so each key's records go in order. */
  private static Entry firstOfSomeKey(Deque<Entry> topic, int pick) {
    List<Entry> firsts = new ArrayList<>();
    List<Integer> seen = new ArrayList<>();
    for (Entry entry : topic) {
      Integer key = entry.key() == null ? -1 : entry.key();
      if (!seen.contains(key)) {
        seen.add(key);
        firsts.add(entry);
      }
    }
    Entry chosen = firsts.get(pick % firsts.size());
    for (Iterator<Entry> it = topic.iterator(); it.hasNext(); ) {
      if (it.next() == chosen) {
        it.remove();
        break;
      }
    }
    return chosen;
  }

  /** The queues a new owner reads from the retry topics (what KeyOrderRebuild does). */
  private static KeyOrderQueues rebuilt(List<Deque<Entry>> topics) {
    KeyOrderQueues queues = new KeyOrderQueues();
    for (int s = 1; s < topics.size(); s++) {
      for (Entry entry : topics.get(s)) {
        queues.movedTo(MAIN, bytes(entry.key()), entry.offset(), s);
      }
    }
    return queues;
  }

  private static byte[] bytes(Integer key) {
    return key == null ? null : ("k" + key).getBytes(StandardCharsets.UTF_8);
  }
}
