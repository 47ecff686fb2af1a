package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retry topics of a runner with {@link FailureAction#retryTopics}: which subscribed topics are
 * retry topics, of which main topic, at which stage. Immutable, any thread.
 */
final class RetryChain {
  /**
   * One retry topic.
   *
   * @param mainTopic the topic whose records it retries
   * @param stage 1 for the first retry topic
   * @param delay how long its records wait
   */
  record Stage(String mainTopic, int stage, Duration delay) {}

  private final RetryTopics topics;
  private final Map<String, Stage> stages = new HashMap<>();

  private RetryChain(RetryTopics topics, List<String> mainTopics) {
    this.topics = topics;
    for (String main : mainTopics) {
      for (int stage = 1; stage <= topics.stages(); stage++) {
        stages.put(
            topics.retryTopic(main, stage), new Stage(main, stage, topics.delays().get(stage - 1)));
      }
    }
  }

  /** The chain of a runner, or null when its failure action is not {@code retryTopics}. */
  static RetryChain of(RunnerSettings<?, ?> settings) {
    return settings
        .failureHandling()
        .action()
        .retryTopics()
        .map(topics -> new RetryChain(topics, settings.topics()))
        .orElse(null);
  }

  /** The chain of the given main topics. */
  static RetryChain of(RetryTopics topics, List<String> mainTopics) {
    return new RetryChain(topics, mainTopics);
  }

  /** The main topics followed by their retry topics: what the runner subscribes to. */
  static List<String> subscription(RunnerSettings<?, ?> settings) {
    RetryChain chain = of(settings);
    if (chain == null) {
      return settings.topics();
    }
    List<String> all = new ArrayList<>(settings.topics());
    for (String main : settings.topics()) {
      all.addAll(chain.topics.retryTopics(main));
    }
    return List.copyOf(all);
  }

  /** The stage of a retry topic, or null for any other topic. */
  Stage stage(String topic) {
    return stages.get(topic);
  }

  /** Whether the topic is one of the runner's retry topics. */
  boolean isRetryTopic(String topic) {
    return stages.containsKey(topic);
  }

  /** How many retry topics each main topic has. */
  int stages() {
    return topics.stages();
  }

  /** The retry topic of {@code mainTopic} at {@code stage} (1-based). */
  String retryTopic(String mainTopic, int stage) {
    return topics.retryTopic(mainTopic, stage);
  }

  /** The delay of {@code stage} (1-based). */
  Duration delay(int stage) {
    return topics.delays().get(stage - 1);
  }
}
