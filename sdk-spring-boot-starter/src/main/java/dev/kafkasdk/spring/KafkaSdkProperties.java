package dev.kafkasdk.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code kafkasdk.*} configuration properties: the cluster, client properties every client
 * shares, and named producers and runners. Each named producer becomes a bean of that name, each
 * named runner a {@code ConsumerRunner} whose handler is the bean of the runner's name. Values are
 * checked by the SDK's builders when the beans are created, so an invalid value fails the
 * application's start with the SDK's own message (setting, problem, fix).
 *
 * <pre>{@code
 * kafkasdk:
 *   bootstrap-servers: localhost:9092
 *   properties:
 *     security.protocol: SSL
 *   producers:
 *     events: {}
 *   runners:
 *     orders:
 *       topics: [orders]
 *       group-id: orders-service
 *       strategy: multi-worker
 *       workers: 8
 *       ordering: key
 * }</pre>
 */
@ConfigurationProperties("kafkasdk")
public class KafkaSdkProperties {

  /**
   * Kafka's bootstrap.servers (comma-separated host:port list) for every producer and runner;
   * "bootstrap.servers" in a client's own properties overrides it.
   */
  private String bootstrapServers;

  /**
   * Kafka client properties given to every producer and runner (for example security settings),
   * before each client's own properties.
   */
  private Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Named producers: each becomes a ReliableProducer bean (mode idempotent) or a
   * TransactionalProducerPool bean (mode transactional) whose bean name is the producer's name.
   */
  private Map<String, ProducerProperties> producers = new LinkedHashMap<>();

  /**
   * Named consumer runners: each becomes a ConsumerRunner whose handler is the RecordHandler or
   * BatchHandler bean of the runner's name, started when the application context has started.
   */
  private Map<String, RunnerProperties> runners = new LinkedHashMap<>();

  /** Creates empty properties; Spring Boot binds the {@code kafkasdk.*} values into them. */
  public KafkaSdkProperties() {}

  /**
   * Returns the shared bootstrap servers.
   *
   * @return the host:port list, or null if not set
   */
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Sets the shared bootstrap servers.
   *
   * @param bootstrapServers the host:port list
   */
  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Returns the client properties every client shares.
   *
   * @return the properties, never null
   */
  public Map<String, String> getProperties() {
    return properties;
  }

  /**
   * Sets the client properties every client shares.
   *
   * @param properties the properties
   */
  public void setProperties(Map<String, String> properties) {
    this.properties = properties;
  }

  /**
   * Returns the named producers.
   *
   * @return producer name to its properties, never null
   */
  public Map<String, ProducerProperties> getProducers() {
    return producers;
  }

  /**
   * Sets the named producers.
   *
   * @param producers producer name to its properties
   */
  public void setProducers(Map<String, ProducerProperties> producers) {
    this.producers = producers;
  }

  /**
   * Returns the named runners.
   *
   * @return runner name to its properties, never null
   */
  public Map<String, RunnerProperties> getRunners() {
    return runners;
  }

  /**
   * Sets the named runners.
   *
   * @param runners runner name to its properties
   */
  public void setRunners(Map<String, RunnerProperties> runners) {
    this.runners = runners;
  }
}
