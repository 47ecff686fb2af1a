package dev.kafkasdk.spring;

import dev.kafkasdk.producer.Acks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of one named producer, {@code kafkasdk.producers.<name>.*}. Every value left unset
 * keeps the SDK builder's default; each is handed to the matching method of {@code
 * ReliableProducer.Builder} (or {@code TransactionalProducer.Builder}), whose {@code build()}
 * checks it.
 */
public class ProducerProperties {

  /** The producer preset. */
  public enum Mode {
    /** {@code ReliableProducer}: idempotent, acks=all (the SDK's default preset). */
    IDEMPOTENT,
    /** {@code TransactionalProducerPool}: transactions, each on a producer of the pool. */
    TRANSACTIONAL
  }

  /**
   * The preset: idempotent (a ReliableProducer bean) or transactional (a TransactionalProducerPool
   * bean).
   */
  private Mode mode = Mode.IDEMPOTENT;

  /**
   * Prefix of the transactional.id of each producer of a transactional pool (prefix-0, prefix-1,
   * ...); required for mode transactional, unique per application instance and stable across its
   * restarts.
   */
  private String transactionalIdPrefix;

  /**
   * The most producers, so concurrent transactions, of a transactional pool; default 1. Keep it the
   * same across restarts.
   */
  private Integer poolSize;

  /**
   * Gives up idempotence for acks=1 (one) or acks=0 (zero), knowingly; the SDK logs what can be
   * lost. Only mode idempotent allows it.
   */
  private Acks unsafeAcks;

  /**
   * Kafka's client.id, also the client tag of the SDK's meters; default the transactional prefix or
   * ksdk-producer-N.
   */
  private String clientId;

  /**
   * Kafka's delivery.timeout.ms: how long Kafka retries a record before reporting it failed;
   * Kafka's default 2 minutes.
   */
  private Duration deliveryTimeout;

  /**
   * How long closing the producer (when the application context closes) waits for pending sends;
   * default 30 seconds.
   */
  private Duration closeTimeout;

  /** Kafka's transaction.timeout.ms (mode transactional); Kafka's default 1 minute. */
  private Duration transactionTimeout;

  /**
   * Age after which a pool's producer is replaced before its next transaction (mode transactional);
   * default 24 hours.
   */
  private Duration maxAge;

  /**
   * How long a transaction waits for a free producer of the pool (mode transactional); default 60
   * seconds.
   */
  private Duration leaseTimeout;

  /**
   * Records each record's key in its send observation (tracing); default false, since keys may be
   * personal data.
   */
  private Boolean observeMessageKeys;

  /**
   * Class name of the key Serializer (public no-argument constructor; configured with the client
   * properties); default StringSerializer.
   */
  private Class<?> keySerializer;

  /** Class name of the value Serializer; default StringSerializer. */
  private Class<?> valueSerializer;

  /** Kafka producer properties of this producer, after (and over) kafkasdk.properties. */
  private Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Returns the value of {@code mode}: the preset: idempotent (a ReliableProducer bean) or
   * transactional (a TransactionalProducerPool bean).
   *
   * @return the value
   */
  public Mode getMode() {
    return mode;
  }

  /**
   * Sets {@code mode}.
   *
   * @param mode the value
   */
  public void setMode(Mode mode) {
    this.mode = mode;
  }

  /**
   * Returns the value of {@code transactionalIdPrefix}: prefix of the transactional.id of each
   * producer of a transactional pool (prefix-0, prefix-1, ...); required for mode transactional,
   * unique per application instance and stable across its restarts.
   *
   * @return the value, or null if not set
   */
  public String getTransactionalIdPrefix() {
    return transactionalIdPrefix;
  }

  /**
   * Sets {@code transactionalIdPrefix}.
   *
   * @param transactionalIdPrefix the value
   */
  public void setTransactionalIdPrefix(String transactionalIdPrefix) {
    this.transactionalIdPrefix = transactionalIdPrefix;
  }

  /**
   * Returns the value of {@code poolSize}: the most producers, so concurrent transactions, of a
   * transactional pool; default 1.
   *
   * @return the value, or null if not set
   */
  public Integer getPoolSize() {
    return poolSize;
  }

  /**
   * Sets {@code poolSize}.
   *
   * @param poolSize the value
   */
  public void setPoolSize(Integer poolSize) {
    this.poolSize = poolSize;
  }

  /**
   * Returns the value of {@code unsafeAcks}: gives up idempotence for acks=1 (one) or acks=0
   * (zero), knowingly; the SDK logs what can be lost.
   *
   * @return the value, or null if not set
   */
  public Acks getUnsafeAcks() {
    return unsafeAcks;
  }

  /**
   * Sets {@code unsafeAcks}.
   *
   * @param unsafeAcks the value
   */
  public void setUnsafeAcks(Acks unsafeAcks) {
    this.unsafeAcks = unsafeAcks;
  }

  /**
   * Returns the value of {@code clientId}: kafka's client.id, also the client tag of the SDK's
   * meters; default the transactional prefix or ksdk-producer-N.
   *
   * @return the value, or null if not set
   */
  public String getClientId() {
    return clientId;
  }

  /**
   * Sets {@code clientId}.
   *
   * @param clientId the value
   */
  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  /**
   * Returns the value of {@code deliveryTimeout}: kafka's delivery.timeout.ms: how long Kafka
   * retries a record before reporting it failed; Kafka's default 2 minutes.
   *
   * @return the value, or null if not set
   */
  public Duration getDeliveryTimeout() {
    return deliveryTimeout;
  }

  /**
   * Sets {@code deliveryTimeout}.
   *
   * @param deliveryTimeout the value
   */
  public void setDeliveryTimeout(Duration deliveryTimeout) {
    this.deliveryTimeout = deliveryTimeout;
  }

  /**
   * Returns the value of {@code closeTimeout}: how long closing the producer (when the application
   * context closes) waits for pending sends; default 30 seconds.
   *
   * @return the value, or null if not set
   */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * Sets {@code closeTimeout}.
   *
   * @param closeTimeout the value
   */
  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  /**
   * Returns the value of {@code transactionTimeout}: kafka's transaction.timeout.ms (mode
   * transactional); Kafka's default 1 minute.
   *
   * @return the value, or null if not set
   */
  public Duration getTransactionTimeout() {
    return transactionTimeout;
  }

  /**
   * Sets {@code transactionTimeout}.
   *
   * @param transactionTimeout the value
   */
  public void setTransactionTimeout(Duration transactionTimeout) {
    this.transactionTimeout = transactionTimeout;
  }

  /**
   * Returns the value of {@code maxAge}: age after which a pool's producer is replaced before its
   * next transaction (mode transactional); default 24 hours.
   *
   * @return the value, or null if not set
   */
  public Duration getMaxAge() {
    return maxAge;
  }

  /**
   * Sets {@code maxAge}.
   *
   * @param maxAge the value
   */
  public void setMaxAge(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /**
   * Returns the value of {@code leaseTimeout}: how long a transaction waits for a free producer of
   * the pool (mode transactional); default 60 seconds.
   *
   * @return the value, or null if not set
   */
  public Duration getLeaseTimeout() {
    return leaseTimeout;
  }

  /**
   * Sets {@code leaseTimeout}.
   *
   * @param leaseTimeout the value
   */
  public void setLeaseTimeout(Duration leaseTimeout) {
    this.leaseTimeout = leaseTimeout;
  }

  /**
   * Returns the value of {@code observeMessageKeys}: records each record's key in its send
   * observation (tracing); default false, since keys may be personal data.
   *
   * @return the value, or null if not set
   */
  public Boolean getObserveMessageKeys() {
    return observeMessageKeys;
  }

  /**
   * Sets {@code observeMessageKeys}.
   *
   * @param observeMessageKeys the value
   */
  public void setObserveMessageKeys(Boolean observeMessageKeys) {
    this.observeMessageKeys = observeMessageKeys;
  }

  /**
   * Returns the value of {@code keySerializer}: class name of the key Serializer (public
   * no-argument constructor; configured with the client properties); default StringSerializer.
   *
   * @return the value, or null if not set
   */
  public Class<?> getKeySerializer() {
    return keySerializer;
  }

  /**
   * Sets {@code keySerializer}.
   *
   * @param keySerializer the value
   */
  public void setKeySerializer(Class<?> keySerializer) {
    this.keySerializer = keySerializer;
  }

  /**
   * Returns the value of {@code valueSerializer}: class name of the value Serializer; default
   * StringSerializer.
   *
   * @return the value, or null if not set
   */
  public Class<?> getValueSerializer() {
    return valueSerializer;
  }

  /**
   * Sets {@code valueSerializer}.
   *
   * @param valueSerializer the value
   */
  public void setValueSerializer(Class<?> valueSerializer) {
    this.valueSerializer = valueSerializer;
  }

  /**
   * Returns the value of {@code properties}: kafka producer properties of this producer, after (and
   * over) kafkasdk.properties.
   *
   * @return the value
   */
  public Map<String, String> getProperties() {
    return properties;
  }

  /**
   * Sets {@code properties}.
   *
   * @param properties the value
   */
  public void setProperties(Map<String, String> properties) {
    this.properties = properties;
  }

  /** Creates the defaults; Spring Boot binds the configured values into them. */
  public ProducerProperties() {}
}
