package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Commit;
import dev.kafkasdk.reliability.Events.DeadLetter;
import dev.kafkasdk.reliability.Events.Delivery;
import dev.kafkasdk.reliability.Events.InjectedAbort;
import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.reliability.Events.Send;
import dev.kafkasdk.reliability.Events.SendStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Judges a {@link History} the way Jepsen's Kafka checker and Kafka's system-test validators do.
 * Every check is a pure function of the history; each returns a {@link CheckResult} with a stable
 * name. Offenders are listed up to {@value #SHOWN} at a time.
 */
public final class HistoryChecker {
  static final int SHOWN = 5;

  private final History history;

  /**
   * Creates a checker.
   *
   * @param history the recorded run; it should not change while checking
   */
  public HistoryChecker(History history) {
    this.history = Objects.requireNonNull(history, "history");
  }

  /**
   * The checks of a producer scenario: {@code lost-write}, {@code duplicate}, {@code aborted-read},
   * {@code inconsistent-offset}, {@code send-order}, in that order. They need acknowledged
   * partitions and offsets in the sends, which a transactional send does not record.
   *
   * @return the verdicts
   */
  public List<CheckResult> producerChecks() {
    return List.of(lostWrite(), duplicate(), abortedRead(), inconsistentOffset(), sendOrder());
  }

  /**
   * The checks of a consumer scenario: first that its input was written soundly ({@code
   * lost-write}, {@code duplicate}, {@code send-order}), so a failure below is the consumer's; then
   * {@code commit-safety}, {@code commits-monotonic}, {@code at-least-once}, {@code progress}; then
   * {@code more}. The order check is among {@code more}, since it depends on the runner's strategy.
   *
   * <pre>{@code
   * new Verdict(scenario, seed, checker.consumerChecks(checker.keyOrder())).print();
   * }</pre>
   *
   * @param more checks the scenario adds, e.g. {@link #keyOrder()} or {@link #exactlyOnce()}
   * @return the verdicts, in that order
   */
  public List<CheckResult> consumerChecks(CheckResult... more) {
    return consumerChecks(commitSafety(), atLeastOnce(), more);
  }

  /**
   * The checks of a failure-path scenario, whose handler fails records as a {@link FailureScript}
   * says: the checks of {@link #consumerChecks} with {@code at-least-once} replaced by {@link
   * #failureScript}, and {@code commit-safety} counting a given-up record as finished once its last
   * allowed attempt failed.
   *
   * @param script the handler's script
   * @param deadLettered whether the runner dead-letters given-up records (else it skips them)
   * @param more checks the scenario adds, e.g. {@link #keyOrder()}
   * @return the verdicts, in that order
   */
  public List<CheckResult> failurePathChecks(
      FailureScript script, boolean deadLettered, CheckResult... more) {
    return consumerChecks(
        commitSafety(finishedByOffset(script)), failureScript(script, deadLettered), more);
  }

  /**
   * The checks of a share-group scenario (KIP-932): a share group promises neither order nor a
   * committed offset, and redelivers a record whose consumer died or whose acquisition lock
   * expired. So this mode has no order, commit or progress checks, and allows any number of calls
   * per record: {@code lost-write}, {@code duplicate}, {@code send-order} (the input was written
   * soundly), then {@link #atLeastOnce(ShareGroupScript) at-least-once} for every record the script
   * does not poison and {@link #deadLetters(ShareGroupScript) dead-letters} for the poison ones.
   *
   * <pre>{@code
   * new Verdict(scenario, seed, checker.shareGroupChecks(script)).print();
   * }</pre>
   *
   * @param script which records the handler poisons
   * @return the verdicts, in that order
   */
  public List<CheckResult> shareGroupChecks(ShareGroupScript script) {
    return List.of(lostWrite(), duplicate(), sendOrder(), atLeastOnce(script), deadLetters(script));
  }

  /** The consumer checks in their order, with the scenario's commit-safety and delivery check. */
  private List<CheckResult> consumerChecks(
      CheckResult commitSafety, CheckResult delivered, CheckResult... more) {
    List<CheckResult> results =
        new ArrayList<>(
            List.of(
                lostWrite(),
                duplicate(),
                sendOrder(),
                commitSafety,
                commitsMonotonic(),
                delivered,
                progress()));
    results.addAll(Arrays.asList(more));
    return results;
  }

  /**
   * {@code lost-write}: every acknowledged send that was not aborted on purpose is in the final
   * drain of the input topic.
   *
   * @return the verdict
   */
  public CheckResult lostWrite() {
    Set<Payload> logged = payloads(history.input());
    List<Payload> lost =
        history.sends().stream()
            .filter(s -> s.status() == SendStatus.OK && !s.aborted())
            .map(Send::payload)
            .filter(p -> !logged.contains(p))
            .toList();
    return verdict("lost-write", lost, "acknowledged but not in the log");
  }

  /**
   * {@code duplicate}: no payload appears at more than one offset of the input topic.
   *
   * @return the verdict
   */
  public CheckResult duplicate() {
    return verdict("duplicate", duplicates(history.input()), "written more than once");
  }

  /**
   * {@code aborted-read}: a {@code read_committed} drain shows no record of a transaction the test
   * aborted, and no record whose send definitely failed.
   *
   * @return the verdict
   */
  public CheckResult abortedRead() {
    Set<Payload> mustNotAppear = new HashSet<>();
    Set<Payload> acknowledged = new HashSet<>();
    for (Send s : history.sends()) {
      if (s.aborted() || s.status() == SendStatus.FAILED) {
        mustNotAppear.add(s.payload());
      } else if (s.status() == SendStatus.OK) {
        acknowledged.add(s.payload());
      }
    }
    mustNotAppear.removeAll(acknowledged);
    List<Payload> visible =
        history.input().stream().map(Logged::payload).filter(mustNotAppear::contains).toList();
    return verdict("aborted-read", visible, "aborted or failed, yet visible");
  }

  /**
   * {@code inconsistent-offset}: an acknowledged offset holds the payload that was acknowledged
   * there.
   *
   * @return the verdict
   */
  public CheckResult inconsistentOffset() {
    Map<String, Payload> byPosition = new HashMap<>();
    for (Logged l : history.input()) {
      byPosition.put(l.partition().partition() + "@" + l.offset(), l.payload());
    }
    List<String> wrong = new ArrayList<>();
    for (Send s : history.sends()) {
      if (s.status() != SendStatus.OK || s.aborted() || s.offset() < 0) {
        continue;
      }
      Payload there = byPosition.get(s.partition() + "@" + s.offset());
      if (there != null && !there.equals(s.payload())) {
        wrong.add(s.partition() + "@" + s.offset() + " acked " + s.payload() + " holds " + there);
      }
    }
    return verdict("inconsistent-offset", wrong, "offsets disagree");
  }

  /**
   * {@code send-order}: for each producer and key, acknowledged offsets rise with the sequence
   * number (the idempotent producer's promise).
   *
   * @return the verdict
   */
  public CheckResult sendOrder() {
    Map<String, List<Send>> byProducerKey =
        history.sends().stream()
            .filter(s -> s.status() == SendStatus.OK && !s.aborted() && s.offset() >= 0)
            .collect(Collectors.groupingBy(s -> s.payload().producer() + "/" + s.payload().key()));
    List<String> violations = new ArrayList<>();
    byProducerKey.forEach(
        (producerKey, sends) -> {
          sends.sort(Comparator.comparingLong(s -> s.payload().sequence()));
          for (int i = 1; i < sends.size(); i++) {
            Send before = sends.get(i - 1);
            Send after = sends.get(i);
            if (after.partition() == before.partition() && after.offset() <= before.offset()) {
              violations.add(producerKey + " seq " + after.payload().sequence());
            }
          }
        });
    return verdict("send-order", violations, "acknowledged out of order");
  }

  /**
   * {@code key-order}: within one runner incarnation and assignment generation, records of a key
   * are processed one at a time in offset order.
   *
   * @return the verdict
   */
  public CheckResult keyOrder() {
    return processingOrder(
        "key-order", d -> d.runner() + "/" + d.generation() + "/" + d.payload().key());
  }

  /**
   * {@code partition-order}: within one runner incarnation and assignment generation, records of a
   * partition are processed one at a time in offset order.
   *
   * @return the verdict
   */
  public CheckResult partitionOrder() {
    return processingOrder(
        "partition-order", d -> d.runner() + "/" + d.generation() + "/" + d.partition());
  }

  /**
   * Within a lane, deliveries sorted by start time must not overlap and must rise in offset. A fall
   * in offset is allowed only as a rewind: at-least-once redelivery after a rebalance or a restart
   * starts again from the committed offset, so the higher offset processed before the fall is
   * processed again after it. A genuine reorder (offset 12 before 11, and 12 never again) is a
   * violation; so is a retry of a failed attempt only when it does not repeat the offset. The same
   * offset twice in a row is a rewind of one record (the lane's last record before a rebalance was
   * exactly the committed position), since runners do not report their assignment generation.
   */
  private CheckResult processingOrder(String name, Function<Delivery, String> lane) {
    Map<String, List<Delivery>> lanes =
        history.deliveries().stream().collect(Collectors.groupingBy(lane));
    List<String> violations = new ArrayList<>();
    lanes.forEach(
        (key, deliveries) -> {
          deliveries.sort(Comparator.comparingLong(Delivery::startNanos));
          for (int i = 1; i < deliveries.size(); i++) {
            Delivery before = deliveries.get(i - 1);
            Delivery after = deliveries.get(i);
            if (after.startNanos() < before.endNanos()) {
              violations.add(
                  key + " offsets " + before.offset() + " and " + after.offset() + " overlap");
            } else if (after.offset() < before.offset()
                && !redeliveredLater(deliveries, i, before.offset())) {
              violations.add(key + " offset " + after.offset() + " after " + before.offset());
            }
          }
        });
    return verdict(name, violations, "processed out of order or concurrently");
  }

  private static boolean redeliveredLater(List<Delivery> deliveries, int from, long offset) {
    for (int j = from; j < deliveries.size(); j++) {
      if (deliveries.get(j).offset() == offset) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code commit-safety}: whenever a committed offset C was observed for a partition, every input
   * record below C had already been processed successfully. This is the SDK's core promise: the
   * committed offset never passes unfinished work.
   *
   * @return the verdict
   */
  public CheckResult commitSafety() {
    return commitSafety(firstSuccessByOffset());
  }

  private CheckResult commitSafety(Map<TopicPartition, TreeMap<Long, Long>> firstDone) {
    Map<TopicPartition, List<Long>> inputOffsets = offsetsByPartition(history.input());
    List<String> violations = new ArrayList<>();
    for (Commit c : history.commits()) {
      if (!c.succeeded()) {
        continue;
      }
      TreeMap<Long, Long> done = firstDone.getOrDefault(c.partition(), new TreeMap<>());
      for (long offset : inputOffsets.getOrDefault(c.partition(), List.of())) {
        if (offset >= c.offset()) {
          break;
        }
        Long doneAt = done.get(offset);
        if (doneAt == null || doneAt > c.sentNanos()) {
          violations.add(
              c.partition()
                  + " committed "
                  + c.offset()
                  + " before offset "
                  + offset
                  + " was done");
          break;
        }
      }
    }
    return verdict("commit-safety", violations, "committed past unfinished work");
  }

  /**
   * {@code commits-monotonic}: the observed committed offset of a partition never goes down.
   *
   * @return the verdict
   */
  public CheckResult commitsMonotonic() {
    Map<TopicPartition, List<Commit>> byPartition =
        history.commits().stream()
            .filter(Commit::succeeded)
            .collect(Collectors.groupingBy(Commit::partition));
    List<String> violations = new ArrayList<>();
    byPartition.forEach(
        (tp, commits) -> {
          commits.sort(Comparator.comparingLong(Commit::sentNanos));
          for (int i = 1; i < commits.size(); i++) {
            if (commits.get(i).offset() < commits.get(i - 1).offset()) {
              violations.add(
                  tp + " " + commits.get(i - 1).offset() + " -> " + commits.get(i).offset());
            }
          }
        });
    return verdict("commits-monotonic", violations, "committed offset went backwards");
  }

  /**
   * {@code at-least-once}: every record of the input topic was processed successfully at least
   * once, across all runner incarnations.
   *
   * @return the verdict
   */
  public CheckResult atLeastOnce() {
    Map<TopicPartition, TreeMap<Long, Long>> done = firstSuccessByOffset();
    List<String> missing =
        history.input().stream()
            .filter(l -> !done.getOrDefault(l.partition(), new TreeMap<>()).containsKey(l.offset()))
            .map(l -> l.partition() + "@" + l.offset())
            .toList();
    return verdict("at-least-once", missing, "never processed");
  }

  /**
   * {@code at-least-once} of a share-group scenario: every record of the input topic that the
   * script does not poison was processed successfully at least once, by any runner, any number of
   * times. A poison record is judged by {@link #deadLetters(ShareGroupScript)} instead.
   *
   * @param script which records never succeed
   * @return the verdict
   */
  public CheckResult atLeastOnce(ShareGroupScript script) {
    Map<TopicPartition, TreeMap<Long, Long>> done = firstSuccessByOffset();
    List<String> missing =
        history.input().stream()
            .filter(l -> !script.poison(l.payload()))
            .filter(l -> !done.getOrDefault(l.partition(), new TreeMap<>()).containsKey(l.offset()))
            .map(l -> l.partition() + "@" + l.offset())
            .toList();
    return verdict("at-least-once", missing, "never processed");
  }

  /**
   * {@code dead-letters}: the dead-letter topic holds exactly the records the script poisons. Every
   * poison record never succeeded and is in the dead-letter topic with its original partition and
   * offset; no other record is there. A poison record may be there more than once: a runner killed
   * after the dead-letter send and before the broker took its acknowledgement gets the record
   * redelivered, and dead-letters it again (at least once, like every delivery).
   *
   * @param script which records never succeed
   * @return the verdict
   */
  public CheckResult deadLetters(ShareGroupScript script) {
    Set<Payload> succeeded =
        history.deliveries().stream()
            .filter(Delivery::succeeded)
            .map(Delivery::payload)
            .collect(Collectors.toSet());
    Map<Payload, List<DeadLetter>> dead =
        history.deadLetters().stream().collect(Collectors.groupingBy(DeadLetter::payload));
    List<String> violations = new ArrayList<>();
    Set<Payload> input = new HashSet<>();
    for (Logged l : history.input()) {
      Payload p = l.payload();
      input.add(p);
      String record = l.partition() + "@" + l.offset();
      List<DeadLetter> letters = dead.getOrDefault(p, List.of());
      if (!script.poison(p)) {
        if (!letters.isEmpty()) {
          violations.add(record + " is not poison but was dead-lettered");
        }
        continue;
      }
      if (succeeded.contains(p)) {
        violations.add(record + " is poison but succeeded");
      }
      if (letters.isEmpty()) {
        violations.add(record + " is poison but not dead-lettered");
      }
      for (DeadLetter letter : letters) {
        if (!letter.original().equals(l.partition()) || letter.offset() != l.offset()) {
          violations.add(record + " has the dead letter " + letter);
        }
      }
    }
    dead.keySet().stream()
        .filter(p -> !input.contains(p))
        .forEach(p -> violations.add("dead letter of a record not in the input: " + p));
    return verdict("dead-letters", violations, "dead letters not as scripted");
  }

  /**
   * {@code failure-script}: every input record was handled exactly as the script says. A record
   * that fails fewer calls than {@code maxAttempts} failed exactly that often, then succeeded once,
   * and was not dead-lettered (so it was not skipped either: a skipped record never succeeds). A
   * record that fails on every allowed attempt failed exactly {@code maxAttempts} calls, never
   * succeeded, and was dead-lettered exactly once with its original partition, offset and attempts
   * (or, when skipping, not at all). Nothing else is in the dead-letter topic.
   *
   * <p>Exact counts suit a run without rebalances or restarts, where nothing is redelivered.
   *
   * @param script the handler's script
   * @param deadLettered whether the runner dead-letters given-up records (else it skips them)
   * @return the verdict
   */
  public CheckResult failureScript(FailureScript script, boolean deadLettered) {
    Map<Payload, int[]> calls = new HashMap<>();
    for (Delivery d : history.deliveries()) {
      calls.computeIfAbsent(d.payload(), p -> new int[2])[d.succeeded() ? 0 : 1]++;
    }
    Map<Payload, List<DeadLetter>> dead =
        history.deadLetters().stream().collect(Collectors.groupingBy(DeadLetter::payload));
    List<String> violations = new ArrayList<>();
    Set<Payload> input = new HashSet<>();
    for (Logged l : history.input()) {
      Payload p = l.payload();
      input.add(p);
      int[] made = calls.getOrDefault(p, new int[2]);
      int failures = script.failures(p);
      List<DeadLetter> letters = dead.getOrDefault(p, List.of());
      String record = l.partition() + "@" + l.offset() + " (fails " + failures + ")";
      if (!script.givenUp(p)) {
        if (made[0] == 0) {
          violations.add(
              record
                  + " never succeeded: "
                  + (letters.isEmpty() ? "skipped" : "dead-lettered")
                  + " after "
                  + made[1]
                  + " failed call(s)");
        } else if (made[0] != 1 || made[1] != failures) {
          violations.add(record + " failed " + made[1] + " and succeeded " + made[0] + " call(s)");
        }
        if (made[0] > 0 && !letters.isEmpty()) {
          violations.add(record + " succeeded and was dead-lettered");
        }
        continue;
      }
      if (made[0] != 0 || made[1] != script.maxAttempts()) {
        violations.add(
            record
                + " failed "
                + made[1]
                + " and succeeded "
                + made[0]
                + " call(s), expected "
                + script.maxAttempts()
                + " failed");
      }
      if (!deadLettered) {
        if (!letters.isEmpty()) {
          violations.add(record + " dead-lettered although the runner skips");
        }
      } else if (letters.size() != 1) {
        violations.add(record + " dead-lettered " + letters.size() + " times");
      } else {
        DeadLetter letter = letters.get(0);
        if (!letter.original().equals(l.partition())
            || letter.offset() != l.offset()
            || letter.attempts() != script.maxAttempts()) {
          violations.add(record + " has the dead letter " + letter);
        }
      }
    }
    dead.keySet().stream()
        .filter(p -> !input.contains(p))
        .forEach(p -> violations.add("dead letter of a record not in the input: " + p));
    return verdict("failure-script", violations, "not handled as scripted");
  }

  /**
   * {@code exactly-once}: the committed output of a copier holds every input payload exactly once
   * and nothing else.
   *
   * @return the verdict
   */
  public CheckResult exactlyOnce() {
    Set<Payload> in = payloads(history.input());
    List<Payload> out = history.output().stream().map(Logged::payload).toList();
    Set<Payload> outSet = new HashSet<>(out);
    List<String> problems = new ArrayList<>();
    duplicates(history.output()).forEach(p -> problems.add("duplicate " + p));
    in.stream().filter(p -> !outSet.contains(p)).forEach(p -> problems.add("missing " + p));
    outSet.stream().filter(p -> !in.contains(p)).forEach(p -> problems.add("unexpected " + p));
    return verdict("exactly-once", problems, "output differs from input");
  }

  /**
   * {@code retried-alone}: a failed handler call of a copier is retried on its own. The runner's
   * next call on that partition is the same record, so nothing before it is called again and a
   * record's calls in one run are its failed calls plus one. The only excuse is a transaction that
   * failed on purpose ({@link History#injectedAbort}) in the same batch, after a call of the
   * aborted record and before the failing call: then the runner rewinds to the committed offsets,
   * which lie at or before the aborted record.
   *
   * @return the verdict
   */
  public CheckResult retriedAlone() {
    Map<Payload, Logged> inputs = inputByPayload();
    Map<String, List<InjectedAbort>> aborts =
        history.injectedAborts().stream()
            .filter(a -> inputs.containsKey(a.payload()))
            .collect(
                Collectors.groupingBy(a -> a.runner() + "/" + inputs.get(a.payload()).partition()));
    Map<String, List<Delivery>> runs =
        history.deliveries().stream()
            .collect(Collectors.groupingBy(d -> d.runner() + "/" + d.partition()));
    List<String> violations = new ArrayList<>();
    runs.forEach(
        (run, calls) -> {
          calls.sort(Comparator.comparingLong(Delivery::startNanos));
          for (int i = 0; i + 1 < calls.size(); i++) {
            Delivery failed = calls.get(i);
            Delivery next = calls.get(i + 1);
            if (failed.succeeded() || next.offset() == failed.offset()) {
              continue;
            }
            int failedAt = i;
            boolean rewound =
                aborts.getOrDefault(run, List.of()).stream()
                    .anyMatch(a -> abortedBefore(a, inputs, calls, failedAt, next.offset()));
            if (!rewound) {
              violations.add(
                  run + " offset " + failed.offset() + " failed, next call " + next.offset());
            }
          }
        });
    return verdict("retried-alone", violations, "failed calls not retried on their own");
  }

  /**
   * Whether the abort happened in the batch of {@code calls[failedAt]}: after the last call of the
   * aborted record before it, and before it, with the aborted record between the rewind target and
   * the failed one.
   */
  private static boolean abortedBefore(
      InjectedAbort abort,
      Map<Payload, Logged> inputs,
      List<Delivery> calls,
      int failedAt,
      long rewoundTo) {
    long offset = inputs.get(abort.payload()).offset();
    Delivery failed = calls.get(failedAt);
    if (offset < rewoundTo || offset >= failed.offset() || abort.nanos() > failed.startNanos()) {
      return false;
    }
    for (int j = failedAt - 1; j >= 0; j--) {
      if (calls.get(j).offset() == offset) {
        return calls.get(j).startNanos() < abort.nanos();
      }
    }
    return false;
  }

  /**
   * {@code rewound-after-abort}: every record whose transaction a copier made fail on purpose
   * ({@link History#injectedAbort}) was handled again successfully after the abort, by the same
   * runner after its rewind or by a later one. A copier that does not seek back after an abort
   * (KAFKA-17582) skips it.
   *
   * @return the verdict
   */
  public CheckResult rewoundAfterAbort() {
    Map<Payload, List<Delivery>> done =
        history.deliveries().stream()
            .filter(Delivery::succeeded)
            .collect(Collectors.groupingBy(Delivery::payload));
    List<String> skipped =
        history.injectedAborts().stream()
            .filter(
                a ->
                    done.getOrDefault(a.payload(), List.of()).stream()
                        .noneMatch(d -> d.startNanos() > a.nanos()))
            .map(a -> a.runner() + " " + a.payload())
            .toList();
    return verdict("rewound-after-abort", skipped, "aborted but never handled again");
  }

  /**
   * {@code progress}: at the end, the last observed committed offset of every input partition is
   * past its last record, i.e. the group caught up and no partition is stuck.
   *
   * @return the verdict
   */
  public CheckResult progress() {
    Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    history.commits().stream()
        .filter(Commit::succeeded)
        .sorted(Comparator.comparingLong(Commit::sentNanos))
        .forEach(c -> lastCommitted.put(c.partition(), c.offset()));
    List<String> stuck = new ArrayList<>();
    offsetsByPartition(history.input())
        .forEach(
            (tp, offsets) -> {
              long last = offsets.get(offsets.size() - 1);
              long committed = lastCommitted.getOrDefault(tp, -1L);
              if (committed <= last) {
                stuck.add(tp + " committed " + committed + ", last record " + last);
              }
            });
    return verdict("progress", stuck, "partitions did not catch up");
  }

  private Map<TopicPartition, TreeMap<Long, Long>> firstSuccessByOffset() {
    Map<TopicPartition, TreeMap<Long, Long>> done = new HashMap<>();
    for (Delivery d : history.deliveries()) {
      if (d.succeeded()) {
        done.computeIfAbsent(d.partition(), tp -> new TreeMap<>())
            .merge(d.offset(), d.endNanos(), Math::min);
      }
    }
    return done;
  }

  private Map<Payload, Logged> inputByPayload() {
    Map<Payload, Logged> byPayload = new HashMap<>();
    history.input().forEach(l -> byPayload.putIfAbsent(l.payload(), l));
    return byPayload;
  }

  /**
   * When each record was finished: its first success, or for a record the script gives up, the end
   * of its last allowed attempt (the runner may skip or dead-letter it only after that).
   */
  private Map<TopicPartition, TreeMap<Long, Long>> finishedByOffset(FailureScript script) {
    Map<TopicPartition, TreeMap<Long, Long>> finished = firstSuccessByOffset();
    Map<String, List<Delivery>> failedCalls =
        history.deliveries().stream()
            .filter(d -> !d.succeeded() && script.givenUp(d.payload()))
            .collect(Collectors.groupingBy(d -> d.partition() + "@" + d.offset()));
    for (List<Delivery> calls : failedCalls.values()) {
      if (calls.size() >= script.maxAttempts()) {
        calls.sort(Comparator.comparingLong(Delivery::endNanos));
        Delivery last = calls.get(script.maxAttempts() - 1);
        finished
            .computeIfAbsent(last.partition(), tp -> new TreeMap<>())
            .merge(last.offset(), last.endNanos(), Math::min);
      }
    }
    return finished;
  }

  private static Map<TopicPartition, List<Long>> offsetsByPartition(List<Logged> logged) {
    Map<TopicPartition, List<Long>> offsets = new HashMap<>();
    for (Logged l : logged) {
      offsets.computeIfAbsent(l.partition(), tp -> new ArrayList<>()).add(l.offset());
    }
    offsets.values().forEach(list -> list.sort(Comparator.naturalOrder()));
    return offsets;
  }

  private static Set<Payload> payloads(List<Logged> logged) {
    return logged.stream().map(Logged::payload).collect(Collectors.toSet());
  }

  private static List<Payload> duplicates(List<Logged> logged) {
    Map<Payload, Long> counts =
        logged.stream().collect(Collectors.groupingBy(Logged::payload, Collectors.counting()));
    return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
  }

  private static CheckResult verdict(String name, List<?> offenders, String what) {
    if (offenders.isEmpty()) {
      return CheckResult.pass(name);
    }
    String shown =
        offenders.stream().limit(SHOWN).map(String::valueOf).collect(Collectors.joining(", "));
    return CheckResult.fail(
        name,
        offenders.size() + " " + what + ": " + shown + (offenders.size() > SHOWN ? ", ..." : ""));
  }
}
