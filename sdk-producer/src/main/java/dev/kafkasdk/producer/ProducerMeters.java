package dev.kafkasdk.producer;

import java.util.List;

/**
 * Names of the Micrometer meters the producer module records, and of their tags. These names are
 * stable API; {@code docs/producer.md} has the full table.
 *
 * <p>Besides these SDK meters, every underlying {@code KafkaProducer} is bound with Micrometer's
 * {@code KafkaClientMetrics} (meters named {@code kafka.producer.*}, tagged with {@code
 * client.id}), and unbound when that producer closes.
 *
 * <p>Meters go to the registry given to {@code meterRegistry(...)} of the builder, or to
 * Micrometer's {@code Metrics.globalRegistry} when none is given.
 *
 * <pre>{@code
 * Timer sends = registry.get(ProducerMeters.SEND).tag(ProducerMeters.TAG_RESULT, "success").timer();
 * }</pre>
 */
public final class ProducerMeters {
  /**
   * Timer from {@code send} to acknowledgement or failure. Tags: {@link #TAG_CLIENT}, {@link
   * #TAG_RESULT} ({@code success}, {@code failure}, {@code rejected} by the circuit breaker) and
   * {@link #TAG_CATEGORY} ({@code none} on success, else an {@link ErrorCategory#tagValue()}).
   */
  public static final String SEND = "ksdk.producer.send";

  /**
   * Timer of each transaction attempt from begin to commit or abort. Tags: {@link #TAG_CLIENT} and
   * {@link #TAG_OUTCOME} ({@code committed}, {@code aborted}, or {@code failed} when the producer
   * was closed without an abort).
   */
  public static final String TRANSACTION = "ksdk.producer.transaction";

  /**
   * Counter of underlying producers closed and replaced. Tags: {@link #TAG_CLIENT} and {@link
   * #TAG_REASON} ({@code fenced}, {@code invalid-epoch}, {@code invalid-pid-mapping}, {@code
   * out-of-order-sequence}, {@code invalid-txn-state}, {@code cluster-authorization}, {@code
   * transactional-id-authorization}, {@code authentication}, {@code unsupported-version}, {@code
   * bootstrap-resolution}, {@code commit-failed}, {@code abort-failed}, {@code init-failed}, {@code
   * max-age}, {@code fatal-error}).
   */
  public static final String RECREATED = "ksdk.producer.recreated";

  /** Tag: the producer's {@code client.id} as configured (without per-producer suffixes). */
  public static final String TAG_CLIENT = "client";

  /** Tag on {@link #SEND}: {@code success}, {@code failure} or {@code rejected}. */
  public static final String TAG_RESULT = "result";

  /** Tag on {@link #SEND}: {@code none} or the failure's {@link ErrorCategory#tagValue()}. */
  public static final String TAG_CATEGORY = "category";

  /** Tag on {@link #TRANSACTION}: {@code committed}, {@code aborted} or {@code failed}. */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag on {@link #RECREATED}: why the producer was replaced. */
  public static final String TAG_REASON = "reason";

  /** Every SDK meter name of this module. */
  public static final List<String> ALL = List.of(SEND, TRANSACTION, RECREATED);

  private ProducerMeters() {}
}
