package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.consumer.Strategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Builds SDK runners with the same consumer settings as the raw baselines. */
final class SdkRunners {
  private SdkRunners() {}

  static ConsumerRunner<byte[], byte[]> runner(
      Map<String, Object> settings,
      String topic,
      Strategy strategy,
      RecordHandler<byte[], byte[]> handler) {
    return runner(settings, topic, strategy, handler, ObservationRegistry.NOOP);
  }

  /** As {@link #runner(Map, String, Strategy, RecordHandler)}, each handler call observed. */
  static ConsumerRunner<byte[], byte[]> runner(
      Map<String, Object> settings,
      String topic,
      Strategy strategy,
      RecordHandler<byte[], byte[]> handler,
      ObservationRegistry observations) {
    // A private registry: the benchmark must not accumulate meters across trials.
    return runner(
        settings, topic, strategy, handler, observations, new SimpleMeterRegistry(), b -> b);
  }

  /**
   * As {@link #runner(Map, String, Strategy, RecordHandler, ObservationRegistry)}, with the meters
   * in {@code meters} (one registry per trial) and further builder options.
   */
  static ConsumerRunner<byte[], byte[]> runner(
      Map<String, Object> settings,
      String topic,
      Strategy strategy,
      RecordHandler<byte[], byte[]> handler,
      ObservationRegistry observations,
      MeterRegistry meters,
      UnaryOperator<ConsumerRunner.Builder<byte[], byte[]>> options) {
    return options
        .apply(
            ConsumerRunner.builder(new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .properties(settings)
                .topics(topic)
                .strategy(strategy)
                .handler(handler)
                .meterRegistry(meters)
                .observationRegistry(observations))
        .build();
  }

  /** Waits (parking, not sleeping in a test) until {@code done} reaches {@code target} records. */
  static void awaitCount(LongSupplier done, long target, Duration timeout) {
    await(done, target, "records", timeout);
  }

  /**
   * As {@link #awaitCount(LongSupplier, long, Duration)}, running {@code eachWake} each wake-up.
   */
  static void awaitCount(LongSupplier done, long target, Duration timeout, Runnable eachWake) {
    await(done, target, "records", timeout, eachWake);
  }

  /**
   * Waits (parking, not sleeping in a test) until {@code done} reaches {@code target}.
   *
   * @param what what is counted, for the error message
   * @throws IllegalStateException if the count does not reach the target within the timeout
   */
  static void await(LongSupplier done, long target, String what, Duration timeout) {
    await(done, target, what, timeout, () -> {});
  }

  private static void await(
      LongSupplier done, long target, String what, Duration timeout, Runnable eachWake) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done.getAsLong() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "benchmark stalled at " + done.getAsLong() + " of " + target + " " + what);
      }
      eachWake.run();
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
    }
  }
}
