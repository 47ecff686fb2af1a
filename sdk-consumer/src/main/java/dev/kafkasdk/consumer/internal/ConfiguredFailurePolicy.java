package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy built from the runner's {@link RetryPolicy} and {@link FailureAction}: retry while the
 * retry policy allows, then stop, skip or dead-letter.
 */
final class ConfiguredFailurePolicy implements FailurePolicy {
  private static final Logger log = LoggerFactory.getLogger(ConfiguredFailurePolicy.class);

  private final String name;
  private final RetryPolicy retry;
  private final FailureAction action;
  private final DeadLetterPublisher deadLetters;
  private final RetryTopicPublisher retryTopics;
  private final RunnerMetrics metrics;

  /**
   * Creates the policy.
   *
   * @param deadLetters the publisher; required for {@link FailureAction.Kind#DEAD_LETTER}, else
   *     null
   */
  ConfiguredFailurePolicy(
      String name,
      RetryPolicy retry,
      FailureAction action,
      DeadLetterPublisher deadLetters,
      RunnerMetrics metrics) {
    this(name, retry, action, deadLetters, null, metrics);
  }

  /**
   * Creates the policy of a runner with retry topics.
   *
   * @param retryTopics the publisher; required for {@link FailureAction.Kind#RETRY_TOPICS}, else
   *     null
   */
  ConfiguredFailurePolicy(
      String name,
      RetryPolicy retry,
      FailureAction action,
      DeadLetterPublisher deadLetters,
      RetryTopicPublisher retryTopics,
      RunnerMetrics metrics) {
    this.name = name;
    this.retry = retry;
    this.action = action;
    this.deadLetters = deadLetters;
    this.retryTopics = retryTopics;
    this.metrics = metrics;
  }

  @Override
  public Decision onFailure(Failure failure) {
    Throwable error = failure.error();
    ConsumerRecord<?, ?> first = failure.records().get(0);
    boolean retryable = retry.isRetryable(error);
    if (retryable && failure.attempts() < retry.maxAttempts()) {
      Duration delay = retry.delay(failure.attempts(), error);
      if (failure.sinceFirstFailure().plus(delay).compareTo(retry.maxDuration()) <= 0) {
        metrics.retry();
        log.debug(
            "{}: attempt {} for {}-{}@{} failed ({}); retrying in {} ms",
            name,
            failure.attempts(),
            first.topic(),
            first.partition(),
            first.offset(),
            error.toString(),
            delay.toMillis());
        return new Decision.Retry(delay);
      }
    }
    int count = failure.records().size();
    return switch (action.kind()) {
      case STOP -> Decision.STOP;
      case SKIP -> {
        metrics.skipped(count);
        log.error(
            "{}: skipping {} record(s) of {}-{} from offset {} after {} attempt(s): {}",
            name,
            count,
            first.topic(),
            first.partition(),
            first.offset(),
            failure.attempts(),
            error.toString(),
            error);
        yield Decision.DONE;
      }
      case DEAD_LETTER -> {
        log.warn(
            "{}: dead-lettering {} record(s) of {}-{} from offset {} to {} after {} attempt(s): {}",
            name,
            count,
            first.topic(),
            first.partition(),
            first.offset(),
            action.deadLetterTopic(first.topic()),
            failure.attempts(),
            error.toString());
        yield new Decision.Await(
            deadLetters
                .publish(failure.raw(), error, failure.attempts(), failure.failedCall())
                .whenComplete((ignored, e) -> metrics.deadLetter(e == null, count)));
      }
      case RETRY_TOPICS -> {
        log.info(
            "{}: moving {} record(s) of {}-{} from offset {} along the retry chain after {}"
                + " attempt(s): {}",
            name,
            count,
            first.topic(),
            first.partition(),
            first.offset(),
            failure.attempts(),
            error.toString());
        // Without a retry policy every handler failure moves along the chain; with one, a failure
        // it calls not retryable goes straight to the dead-letter topic.
        yield new Decision.Await(
            retryTopics.forward(failure, retry == RetryPolicy.none() || retryable));
      }
    };
  }
}
