package dev.kafkasdk.consumer;

import dev.kafkasdk.producer.ReliableProducer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An exactly-once copier in its own JVM, for {@link ExactlyOnceTest} to kill with SIGKILL. The
 * first attempt at every record whose offset is 11 modulo 12 throws, which ends the transaction of
 * its poll batch before that record (batches hold at most four records, so about every third
 * transaction); the record is tried again and succeeds, so its retry budget is never exhausted.
 */
public final class ExactlyOnceCopierMain {
  private ExactlyOnceCopierMain() {}

  /**
   * Runs until killed, or copies for the given time.
   *
   * @param args bootstrap servers, input topic, output topic, group id, transactional id prefix,
   *     handler delay in milliseconds
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    try (ConsumerRunner<String, String> runner =
        copier(
            args[0],
            args[1],
            args[2],
            args[3],
            args[4],
            Integer.parseInt(args[5]),
            new SimpleMeterRegistry())) {
      runner.start();
      runner.awaitTermination(Duration.ofMinutes(10));
    }
  }

  static ConsumerRunner<String, String> copier(
      String bootstrap,
      String in,
      String out,
      String group,
      String prefix,
      int delayMs,
      MeterRegistry registry) {
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    return ConsumerRunner.builder()
        .bootstrapServers(bootstrap)
        .groupId(group)
        .topics(in)
        .property("max.poll.records", 4)
        .property("session.timeout.ms", 6000)
        .strategy(Strategy.threadPerPartition())
        .meterRegistry(registry)
        .retry(RetryPolicy.builder().maxAttempts(5).build())
        .exactlyOnce(
            ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                .bootstrapServers(bootstrap),
            prefix,
            (record, output) -> {
              if (record.offset() % 12 == 11
                  && failedOnce.add(record.partition() + "@" + record.offset())) {
                throw new IllegalStateException("fail the first call of this record");
              }
              if (delayMs > 0) {
                Thread.sleep(delayMs);
              }
              output.send(out, record.key(), record.value());
            })
        .build();
  }
}
