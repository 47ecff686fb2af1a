package dev.kafkasdk.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * Confluent's Parallel Consumer ({@code io.confluent.parallelconsumer:parallel-consumer-core}) as a
 * benchmark peer of the multi-worker runner. No 0.5.3.x release runs on kafka-clients 4.4.0, so it
 * runs in a {@link PeerClassLoader} on its own kafka-clients (the version in {@code
 * sdk-benchmarks/pom.xml}, {@code parallel-consumer.kafka-clients.version}), against the same
 * broker and with the same consumer settings as the SDK; the adapter is {@code
 * dev.kafkasdk.benchmarks.pc.ParallelConsumerPeer}. Like the SDK variants it records its meters in
 * a private {@link SimpleMeterRegistry}.
 */
final class ParallelConsumerRuns {
  private static final String ADAPTER = "dev.kafkasdk.benchmarks.pc.ParallelConsumerPeer";
  private static PeerClassLoader loader;

  private ParallelConsumerRuns() {}

  private static synchronized PeerClassLoader loader() {
    if (loader == null) {
      loader =
          PeerClassLoader.of(
              "parallel-consumer",
              "dev.kafkasdk.benchmarks.pc",
              List.of("org.apache.kafka.", "io.confluent.", "pl.tlinkowski."));
    }
    return loader;
  }

  /**
   * A factory of Parallel Consumers.
   *
   * @param ordering {@code KEY}, {@code PARTITION} or {@code UNORDERED}: the SDK variant's
   * @param maxConcurrency handler threads: the SDK variant's workers
   */
  static PeerTrials.PeerFactory factory(String ordering, int maxConcurrency) {
    return (settings, topic, handler) -> {
      PeerClassLoader peers = loader();
      try {
        IsolatedPeer peer =
            peers.call(
                () ->
                    (IsolatedPeer)
                        Class.forName(ADAPTER, true, peers)
                            .getConstructor(
                                Map.class,
                                String.class,
                                RecordSink.class,
                                String.class,
                                int.class,
                                MeterRegistry.class)
                            .newInstance(
                                settings,
                                topic,
                                handler,
                                ordering,
                                maxConcurrency,
                                new SimpleMeterRegistry()));
        return new PeerTrials.Peer() {
          @Override
          public void start() {
            try {
              peers.call(
                  () -> {
                    peer.start();
                    return null;
                  });
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public int assignedPartitions() {
            return peer.assignedPartitions();
          }

          @Override
          public int consumers() {
            // Parallel Consumer polls with the one consumer it is given.
            return 1;
          }

          @Override
          public void close() {
            peer.close();
          }
        };
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot build Parallel Consumer", e);
      }
    };
  }

  /**
   * Where Parallel Consumer spends CPU: its control and broker-poll threads ({@code pc-}) poll; its
   * handler threads come from an unnamed fixed pool ({@code pool-N-thread-M}), the only such pool
   * running during its trial.
   */
  static PeerTrials.PeerThreads threads(String group) {
    return new PeerTrials.PeerThreads("pc-", "pool-");
  }
}
