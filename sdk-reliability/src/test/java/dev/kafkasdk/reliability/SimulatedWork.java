package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.reliability.Events.Delivery;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The handler of the in-process runner scenarios: 0 to 2 ms of seeded simulated work per record, so
 * records finish out of order across workers, then the call is recorded as a {@link Delivery}.
 */
final class SimulatedWork {
  private SimulatedWork() {}

  /**
   * Creates the handler of one runner.
   *
   * @param history where deliveries are recorded
   * @param runner the runner name written into every delivery
   * @param seed seed of the work durations
   * @return the handler; safe to call from several workers at once
   */
  static RecordHandler<String, String> recordedIn(History history, String runner, long seed) {
    Random delays = new Random(seed);
    return record -> {
      long start = System.nanoTime();
      int delay;
      synchronized (delays) {
        delay = delays.nextInt(3);
      }
      TimeUnit.MILLISECONDS.sleep(delay); // simulated work
      history.delivery(Delivery.finished(runner, record, start));
    };
  }
}
