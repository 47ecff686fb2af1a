package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Delivery;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The textbook-correct reference consumer: one thread polls, processes each batch in order and
 * commits synchronously only afterwards. Slow, but it never commits unfinished work, so the suite
 * uses it as the control that must pass every check (no false alarms from the checker).
 */
public final class SequentialConsumer implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final Thread pollThread;
  private volatile boolean running = true;

  /**
   * Starts polling.
   *
   * @param clientConfig bootstrap servers and any other consumer settings
   * @param group consumer group
   * @param topic topic
   * @param name runner name recorded in deliveries
   * @param handler the record handler, run on the poll thread
   * @param history where deliveries are recorded
   */
  public SequentialConsumer(
      Map<String, Object> clientConfig,
      String group,
      String topic,
      String name,
      Consumer<ConsumerRecord<String, String>> handler,
      History history) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of(topic));
    this.pollThread =
        new Thread(
            () -> {
              while (running) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : batch) {
                  if (!running) {
                    return; // crash: the rest of the batch is neither processed nor committed
                  }
                  long start = System.nanoTime();
                  handler.accept(record);
                  history.delivery(Delivery.finished(name, record, start));
                }
                if (!batch.isEmpty()) {
                  consumer.commitSync();
                }
              }
            },
            name + "-poll");
    pollThread.start();
  }

  /** Stops at once, like a crash: nothing more is processed or committed. */
  @Override
  public void close() {
    running = false;
    try {
      pollThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(CloseOptions.timeout(Duration.ZERO));
  }
}
