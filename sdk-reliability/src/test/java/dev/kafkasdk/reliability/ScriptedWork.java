package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.reliability.Events.Delivery;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler of the failure-path scenario: it fails each record's first calls as a {@link
 * FailureScript} says, then succeeds, and records every call, failed or not, as a {@link Delivery}.
 */
final class ScriptedWork {
  private ScriptedWork() {}

  /**
   * Creates the handler of one runner.
   *
   * @param history where calls are recorded
   * @param runner the runner name written into every delivery
   * @param script which records fail, how often
   * @return the handler; safe to call from several workers at once
   */
  static RecordHandler<String, String> recordedIn(
      History history, String runner, FailureScript script) {
    Map<Payload, AtomicInteger> calls = new ConcurrentHashMap<>();
    return record -> {
      long start = System.nanoTime();
      Payload payload = Payload.decode(record.value());
      int call = calls.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
      if (call <= script.failures(payload)) {
        history.delivery(Delivery.failed(runner, record, start));
        throw new IllegalStateException("scripted failure " + call + " of " + payload);
      }
      history.delivery(Delivery.finished(runner, record, start));
    };
  }
}
