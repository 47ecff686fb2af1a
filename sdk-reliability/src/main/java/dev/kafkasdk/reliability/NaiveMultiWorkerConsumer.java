package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The naive multi-worker loop, kept on purpose as a known-broken variant: one thread polls, hands
 * every record to a thread pool and commits the polled position at once, before the workers finish.
 * The reliability suite runs it to prove its checker detects the flaw the SDK's runners fix
 * (commits past unfinished records; records lost after a crash).
 */
public final class NaiveMultiWorkerConsumer implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final ExecutorService workers;
  private final Thread pollThread;
  private volatile boolean running = true;

  /**
   * Starts polling.
   *
   * @param clientConfig bootstrap servers and any other consumer settings
   * @param group consumer group
   * @param topic topic
   * @param workerCount pool size
   * @param handler the record handler, run on the pool
   * @param history where handler deliveries are recorded
   */
  public NaiveMultiWorkerConsumer(
      Map<String, Object> clientConfig,
      String group,
      String topic,
      int workerCount,
      Consumer<ConsumerRecord<String, String>> handler,
      History history) {
    Map<String, Object> config = new java.util.HashMap<>(clientConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    this.workers = Executors.newFixedThreadPool(workerCount);
    consumer.subscribe(List.of(topic));
    this.pollThread =
        new Thread(
            () -> {
              while (running) {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(100))) {
                  workers.submit(
                      () -> {
                        long start = System.nanoTime();
                        handler.accept(record);
                        history.delivery(Delivery.finished("naive", record, start));
                      });
                }
                // The flaw: the position is committed although the workers may not have run yet.
                consumer.commitSync();
              }
            },
            "naive-poll");
    pollThread.start();
  }

  /** Simulates a crash: queued work is dropped and nothing more is committed. */
  @Override
  public void close() {
    running = false;
    try {
      pollThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    consumer.close(CloseOptions.timeout(Duration.ZERO));
  }
}
