package dev.kafkasdk.producer.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.producer.Acks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Turns builder options into validated Kafka properties. Every contradiction is reported as an
 * {@link SdkConfigException} naming the setting and the fix; nothing here starts a client.
 *
 * <p>Why the SDK validates instead of letting Kafka do it: when {@code enable.idempotence} is only
 * implied, Kafka silently turns idempotence off if acks, retries or in-flight settings conflict,
 * and logs that at INFO. The presets therefore always set it explicitly, and conflicts fail here
 * with a message that says which builder call to use instead.
 */
public final class ProducerConfigResolver {
  static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(60);

  private static final AtomicLong CLIENT_SEQUENCE = new AtomicLong();
  private static final Pattern CONFIG_NAME = Pattern.compile("configuration \"?([a-z0-9._-]+)\"?");

  private ProducerConfigResolver() {}

  /**
   * Validates the options and computes the Kafka properties.
   *
   * @param options what the builder collected
   * @return the settings
   * @throws SdkConfigException on the first invalid or contradictory setting
   */
  public static ProducerSettings resolve(ProducerOptions options) {
    Objects.requireNonNull(options, "options");
    ConfigDef def = ProducerConfig.configDef();
    Map<String, Object> props = passThrough(options.properties(), def);

    String bootstrap =
        merge(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "bootstrapServers(...)",
            options.bootstrapServers(),
            props);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new SdkConfigException(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          "no bootstrap servers are configured",
          "call bootstrapServers(\"host1:9092,host2:9092\")");
    }
    String clientId =
        merge(ProducerConfig.CLIENT_ID_CONFIG, "clientId(...)", options.clientId(), props);
    props.remove(ProducerConfig.CLIENT_ID_CONFIG);
    if (clientId == null || clientId.isBlank()) {
      clientId =
          options.transaction() != null && options.transaction().idPrefix() != null
              ? options.transaction().idPrefix()
              : "ksdk-producer-" + CLIENT_SEQUENCE.incrementAndGet();
    }
    if (options.deliveryTimeout() != null) {
      merge(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          "deliveryTimeout(...)",
          millis(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, options.deliveryTimeout()),
          props);
    }

    Acks acks;
    String mode;
    if (options.unsafeAcks() != null) {
      acks = applyUnsafeAcks(options, props);
      mode = "unsafe-acks-" + acks.kafkaValue();
    } else {
      applyIdempotence(options, props, def);
      acks = Acks.ALL;
      mode = options.transaction() != null ? "transactional" : "idempotent";
    }

    Map<String, Object> parsed = parseAll(props, def);
    long linger = ((Number) parsed.get(ProducerConfig.LINGER_MS_CONFIG)).longValue();
    long request = ((Number) parsed.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).longValue();
    long delivery = ((Number) parsed.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue();
    if (delivery < linger + request) {
      throw new SdkConfigException(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          "delivery.timeout.ms ("
              + delivery
              + ") is below linger.ms ("
              + linger
              + ") + request.timeout.ms ("
              + request
              + "), so a record could expire before its first request completes",
          "set delivery.timeout.ms to at least " + (linger + request) + " ms");
    }

    TransactionOptions tx = null;
    if (options.transaction() != null) {
      tx = resolveTransaction(options.transaction(), props, request);
      parsed = parseAll(props, def);
    }
    Map<String, Object> effective = new LinkedHashMap<>();
    for (String key : ProducerSettings.LOGGED) {
      Object value = parsed.get(key);
      if (value instanceof java.util.List<?> list) {
        value = String.join(",", list.stream().map(Object::toString).toList());
      }
      if (value != null && (tx != null || !key.equals(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))) {
        effective.put(key, value);
      }
    }

    Duration closeTimeout =
        options.closeTimeout() != null ? options.closeTimeout() : DEFAULT_CLOSE_TIMEOUT;
    if (closeTimeout.isNegative()) {
      throw new SdkConfigException(
          "closeTimeout", "is negative (" + closeTimeout + ")", "give zero or a positive duration");
    }
    return new ProducerSettings(props, clientId, mode, acks, closeTimeout, tx, effective);
  }

  private static Map<String, Object> passThrough(Map<String, Object> given, ConfigDef def) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : given.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
          || key.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
        throw new SdkConfigException(
            key,
            "serializers are typed objects in this SDK, not class-name properties",
            "pass them to ReliableProducer.builder(keySerializer, valueSerializer) and remove the"
                + " property");
      }
      if (key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
        throw new SdkConfigException(
            key,
            "transactional.id cannot be set as a property",
            "use transactional(\"<prefix unique to this application instance>\"); the SDK appends"
                + " a suffix per producer");
      }
      if (value == null) {
        throw new SdkConfigException(
            key, "has a null value", "remove the property or give it a value");
      }
      if (key.equals(ProducerConfig.ACKS_CONFIG) && value instanceof Number) {
        // Kafka wants a string here; acks=1 written as a number is an obvious intent.
        value = value.toString();
      }
      ConfigDef.ConfigKey configKey = def.configKeys().get(key);
      if (configKey != null) {
        try {
          Object parsed = ConfigDef.parseType(key, value, configKey.type);
          if (configKey.validator != null) {
            configKey.validator.ensureValid(key, parsed);
          }
        } catch (ConfigException ex) {
          throw new SdkConfigException(
              key,
              SecretRedaction.scrub(ex.getMessage(), Map.of(key, value)),
              "give a valid " + configKey.type.toString().toLowerCase(Locale.ROOT) + " value");
        }
      }
      props.put(key, value);
    }
    return props;
  }

  private static Acks applyUnsafeAcks(ProducerOptions options, Map<String, Object> props) {
    Acks acks = options.unsafeAcks();
    if (options.transaction() != null) {
      throw new SdkConfigException(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "transactional producers need idempotence, but unsafeAcks(" + acks + ") turns it off",
          "remove unsafeAcks(...) when using transactional(...)");
    }
    if (acks == Acks.ALL) {
      throw new SdkConfigException(
          ProducerConfig.ACKS_CONFIG,
          "unsafeAcks(ALL) is not a weaker mode",
          "remove unsafeAcks(...); acks=all with idempotence is the default");
    }
    Object idempotence = props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && Boolean.parseBoolean(idempotence.toString())) {
      throw new SdkConfigException(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "enable.idempotence=true contradicts unsafeAcks(" + acks + "), which needs it off",
          "remove the enable.idempotence property or remove unsafeAcks(...)");
    }
    Object userAcks = props.get(ProducerConfig.ACKS_CONFIG);
    if (userAcks != null && !normalizeAcks(userAcks).equals(acks.kafkaValue())) {
      throw new SdkConfigException(
          ProducerConfig.ACKS_CONFIG,
          "acks=" + userAcks + " contradicts unsafeAcks(" + acks + ")",
          "remove the acks property; unsafeAcks(...) sets it");
    }
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, acks.kafkaValue());
    return acks;
  }

  private static void applyIdempotence(
      ProducerOptions options, Map<String, Object> props, ConfigDef def) {
    String preset = options.transaction() != null ? "transactional" : "idempotent";
    Object idempotence = props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !Boolean.parseBoolean(idempotence.toString())) {
      throw new SdkConfigException(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          options.transaction() != null
              ? "transactional producers need idempotence, but enable.idempotence=false was set"
              : "enable.idempotence=false contradicts the idempotent preset",
          options.transaction() != null
              ? "remove the enable.idempotence property"
              : "remove the property; to give up idempotence knowingly, call unsafeAcks(Acks.ONE)"
                  + " or unsafeAcks(Acks.ZERO)");
    }
    Object userAcks = props.get(ProducerConfig.ACKS_CONFIG);
    if (userAcks != null && !normalizeAcks(userAcks).equals("all")) {
      throw new SdkConfigException(
          ProducerConfig.ACKS_CONFIG,
          "acks="
              + userAcks
              + " contradicts enable.idempotence=true of the "
              + preset
              + " preset, which needs acks=all",
          options.transaction() != null
              ? "remove the acks property; transactions need acks=all"
              : "remove the acks property, or opt into the weaker mode explicitly with"
                  + " unsafeAcks(Acks.ONE)");
    }
    Object retries = props.get(ProducerConfig.RETRIES_CONFIG);
    if (retries != null
        && (Integer) ConfigDef.parseType(ProducerConfig.RETRIES_CONFIG, retries, ConfigDef.Type.INT)
            == 0) {
      throw new SdkConfigException(
          ProducerConfig.RETRIES_CONFIG,
          "retries=0 with idempotence: a transient broker error would fail the send although"
              + " idempotence makes retrying safe",
          "remove the retries property; delivery.timeout.ms bounds how long Kafka retries");
    }
    Object inFlight = props.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    if (inFlight != null) {
      int value =
          (Integer)
              ConfigDef.parseType(
                  ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                  inFlight,
                  ConfigDef.Type.INT);
      if (value > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
        throw new SdkConfigException(
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            "is "
                + value
                + ", but idempotent producers keep deduplication and per-partition order only"
                + " with at most "
                + MAX_IN_FLIGHT_FOR_IDEMPOTENCE,
            "set it between 1 and " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE + " (default 5)");
      }
    }
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    props.putIfAbsent(
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_FOR_IDEMPOTENCE);
  }

  private static TransactionOptions resolveTransaction(
      TransactionOptions tx, Map<String, Object> props, long requestTimeoutMs) {
    if (tx.idPrefix() == null || tx.idPrefix().isBlank()) {
      throw new SdkConfigException(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          "the transactional.id prefix is blank",
          "call transactional(\"<prefix unique to this application instance>\"), e.g. the"
              + " application name plus a stable instance id");
    }
    if (tx.transactionTimeout() != null) {
      merge(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          "transactionTimeout(...)",
          millis(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, tx.transactionTimeout()),
          props);
    }
    Object configured = props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    int transactionTimeout =
        ((Number)
                (configured == null
                    ? ProducerConfig.configDef()
                        .defaultValues()
                        .get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
                    : ConfigDef.parseType(
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, configured, ConfigDef.Type.INT)))
            .intValue();
    if (transactionTimeout < requestTimeoutMs) {
      throw new SdkConfigException(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          "transaction.timeout.ms ("
              + transactionTimeout
              + ") is below request.timeout.ms ("
              + requestTimeoutMs
              + "): the coordinator could abort a transaction while one of its requests is still"
              + " legitimately pending",
          "set transactionTimeout(...) to at least request.timeout.ms, or lower request.timeout.ms");
    }
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeout);
    requireAtLeastOne("maxAttempts", tx.maxAttempts());
    requireAtLeastOne("commitAttempts", tx.commitAttempts());
    Duration maxAge = tx.maxAge() != null ? tx.maxAge() : DEFAULT_MAX_AGE;
    requirePositive("maxAge", maxAge);
    Duration leaseTimeout = tx.leaseTimeout() != null ? tx.leaseTimeout() : DEFAULT_LEASE_TIMEOUT;
    requirePositive("leaseTimeout", leaseTimeout);
    return new TransactionOptions(
        tx.idPrefix(),
        Duration.ofMillis(transactionTimeout),
        tx.maxAttempts(),
        tx.commitAttempts(),
        maxAge,
        leaseTimeout);
  }

  private static Map<String, Object> parseAll(Map<String, Object> props, ConfigDef def) {
    Map<String, Object> withSerializers = new LinkedHashMap<>(props);
    // Serializers are objects in this SDK; placeholders let Kafka's parser check the rest.
    withSerializers.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    withSerializers.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try {
      return def.parse(withSerializers);
    } catch (ConfigException e) {
      throw toSdkConfigException(e, props);
    }
  }

  /**
   * Converts Kafka's own configuration error (also thrown by the {@code KafkaProducer} constructor,
   * e.g. for an unresolvable bootstrap host) into the SDK's exception.
   *
   * @param e Kafka's exception
   * @param config the configuration Kafka was given; its secrets are removed from the message, and
   *     Kafka's exception is not kept as the cause if its messages quote one
   * @return the SDK exception naming the setting when Kafka's message does
   */
  public static SdkConfigException toSdkConfigException(ConfigException e, Map<String, ?> config) {
    String message = SecretRedaction.scrub(String.valueOf(e.getMessage()), config);
    Matcher m = CONFIG_NAME.matcher(message);
    String setting = m.find() ? m.group(1) : "producer configuration";
    if (message.contains("bootstrap")) {
      setting = ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    }
    SdkConfigException sdk =
        new SdkConfigException(setting, message, "correct the value of " + setting);
    if (!SecretRedaction.quotesSecret(e, config)) {
      sdk.initCause(e);
    }
    return sdk;
  }

  private static String merge(
      String key, String builderCall, Object builderValue, Map<String, Object> props) {
    Object property = props.get(key);
    if (builderValue != null
        && property != null
        && !builderValue.toString().equals(property.toString())) {
      throw new SdkConfigException(
          key,
          "set twice with different values: "
              + builderCall
              + " gave '"
              + builderValue
              + "' and the"
              + " property gave '"
              + property
              + "'",
          "set it once");
    }
    Object value = builderValue != null ? builderValue : property;
    if (value != null) {
      props.put(key, value);
    }
    return value == null ? null : value.toString();
  }

  private static int millis(String key, Duration duration) {
    if (duration.isNegative() || duration.toMillis() > Integer.MAX_VALUE) {
      throw new SdkConfigException(
          key, "is out of range (" + duration + ")", "give a duration between 0 and 24 days");
    }
    return (int) duration.toMillis();
  }

  private static String normalizeAcks(Object acks) {
    String value = acks.toString().trim().toLowerCase(Locale.ROOT);
    return value.equals("-1") ? "all" : value;
  }

  private static void requireAtLeastOne(String setting, int value) {
    if (value < 1) {
      throw new SdkConfigException(setting, "is " + value + ", below 1", "give at least 1");
    }
  }

  private static void requirePositive(String setting, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new SdkConfigException(
          setting, "is " + value + ", not positive", "give a positive duration");
    }
  }
}
