package dev.kafkasdk.test;

/** Where a {@link KafkaCluster} runs. */
public enum Backend {
  /**
   * {@link #EXTERNAL} when {@value KafkaCluster#BOOTSTRAP_ENV} or the system property {@value
   * KafkaCluster#BOOTSTRAP_PROPERTY} is set, otherwise {@link #EMBEDDED}.
   */
  DEFAULT,
  /** An in-JVM KRaft cluster: fast, no Docker needed, brokers can be stopped and restarted. */
  EMBEDDED,
  /**
   * A single-broker Testcontainers Kafka container. Needs Docker and {@code
   * org.testcontainers:testcontainers-kafka} on the test classpath.
   */
  TESTCONTAINERS,
  /** A cluster somebody else runs, reached through the configured bootstrap servers. */
  EXTERNAL
}
