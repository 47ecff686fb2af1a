package dev.kafkasdk.benchmarks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The raw baseline's send callback: a careful user does not ignore failed sends, so the raw
 * producer counts them as the SDK's futures report them. One shared instance, so the callback
 * allocates nothing per send.
 */
final class SendFailures implements Callback {
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<Exception> first = new AtomicReference<>();

  @Override
  public void onCompletion(RecordMetadata metadata, Exception error) {
    if (error != null) {
      failed.increment();
      first.compareAndSet(null, error);
    }
  }

  /**
   * Fails the trial if any send failed: a trial that lost records measured something else.
   *
   * @throws IllegalStateException naming the count and the first failure
   */
  void check(String topic) {
    if (failed.sum() > 0) {
      throw new IllegalStateException(
          failed.sum() + " sends to " + topic + " failed; first: " + first.get(), first.get());
    }
  }
}
