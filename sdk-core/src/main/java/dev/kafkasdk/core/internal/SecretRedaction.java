package dev.kafkasdk.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * The one place that decides which client settings are secrets and hides them. Every SDK text that
 * could show a client configuration (a settings record's {@code toString()}, a start-up log, an
 * {@link dev.kafkasdk.core.SdkConfigException} quoting a value, a Kafka message passed on) goes
 * through it, so a credential never reaches a log or an exception message.
 *
 * <p>A key is secret if Kafka declares it a {@code PASSWORD} (for example {@code sasl.jaas.config},
 * {@code ssl.keystore.key}, {@code ssl.key.password}), or if its name says so ({@code password},
 * {@code secret}, {@code passphrase}, {@code credential}, {@code jaas}, {@code token} except URLs,
 * a {@code .key} suffix): an application's own or a future Kafka setting is hidden too.
 */
public final class SecretRedaction {
  /** What a hidden value is shown as; Kafka shows its own {@code Password} values the same way. */
  public static final String HIDDEN = "[hidden]";

  private static final List<String> SECRET_WORDS =
      List.of("password", "secret", "passphrase", "credential", "jaas");

  // Kafka's PASSWORD-typed settings of every client, read once from its own definitions.
  private static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();

  // An option inside a JAAS line: name="value" or name=value.
  private static final Pattern JAAS_OPTION =
      Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*=\\s*(\"([^\"]*)\"|([^\\s;\"]+))");

  // Shorter values are not looked for in free text: hiding every "a" would make messages useless.
  private static final int MIN_SCRUBBED_LENGTH = 4;

  private SecretRedaction() {}

  /**
   * Tells whether a configuration key holds a secret.
   *
   * @param key the key, for example {@code sasl.jaas.config}
   * @return true if its value must never be shown
   */
  public static boolean isSecret(String key) {
    if (key == null) {
      return false;
    }
    String k = key.toLowerCase(Locale.ROOT);
    if (KAFKA_PASSWORDS.contains(k) || k.endsWith(".key")) {
      return true;
    }
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    return k.contains("token") && !k.endsWith(".url");
  }

  /**
   * Returns the value to show for a key: {@link #HIDDEN} for a secret, else the value.
   *
   * @param key the key
   * @param value the value, may be null
   * @return what may be shown
   */
  public static Object shown(String key, Object value) {
    return value != null && isSecret(key) ? HIDDEN : value;
  }

  /**
   * Copies a configuration with every secret value replaced by {@link #HIDDEN}, in the same order.
   *
   * @param config the configuration
   * @return a new map that is safe to print
   */
  public static Map<String, Object> redacted(Map<String, ?> config) {
    Map<String, Object> shown = new LinkedHashMap<>();
    config.forEach((key, value) -> shown.put(key, shown(key, value)));
    return shown;
  }

  /**
   * Removes the secrets of a configuration from a text that may quote them (a Kafka exception
   * message, for example): each secret value, and each option value of a JAAS line (the password
   * inside {@code sasl.jaas.config}), is replaced by {@link #HIDDEN}.
   *
   * @param text the text, may be null
   * @param config the configuration whose secrets must not appear
   * @return the text without them; null if the text was null
   */
  public static String scrub(String text, Map<String, ?> config) {
    if (text == null || config == null || config.isEmpty()) {
      return text;
    }
    List<String> secrets = new ArrayList<>();
    config.forEach(
        (key, value) -> {
          if (value != null && isSecret(key)) {
            String plain = plain(value);
            secrets.add(plain);
            Matcher m = JAAS_OPTION.matcher(plain);
            while (m.find()) {
              String option = m.group(1);
              String optionValue = m.group(3) != null ? m.group(3) : m.group(4);
              if (isSecret(option)) {
                secrets.add(optionValue);
              }
            }
          }
        });
    // Longest first, so a whole JAAS line goes before the password inside it.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String scrubbed = text;
    for (String secret : secrets) {
      if (secret.length() >= MIN_SCRUBBED_LENGTH) {
        scrubbed = scrubbed.replace(secret, HIDDEN);
      }
    }
    return scrubbed;
  }

  /**
   * Tells whether an error's message, or a cause's, quotes a secret of the configuration, so that
   * the error must not be kept as the cause of an exception the SDK throws (a logged stack trace
   * prints every cause's message).
   *
   * @param error the error, may be null
   * @param config the configuration whose secrets must not appear
   * @return true if some message in the chain contains one of them
   */
  public static boolean quotesSecret(Throwable error, Map<String, ?> config) {
    return CauseChain.first(
            error,
            t -> t.getMessage() != null && !t.getMessage().equals(scrub(t.getMessage(), config)))
        != null;
  }

  private static String plain(Object value) {
    // Password.toString() is already "[hidden]"; the secret is its value.
    return value instanceof Password password ? password.value() : String.valueOf(value);
  }

  private static Set<String> kafkaPasswords() {
    Set<String> keys = new HashSet<>();
    for (ConfigDef def :
        List.of(
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef())) {
      def.configKeys()
          .forEach(
              (name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                  keys.add(name.toLowerCase(Locale.ROOT));
                }
              });
    }
    return Set.copyOf(keys);
  }
}
