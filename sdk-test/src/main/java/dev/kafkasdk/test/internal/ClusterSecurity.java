package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Security;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The security of one embedded cluster: the broker settings for its listeners, the users the kit
 * knows and the client settings for each of them.
 *
 * <p>Listeners: the client listener ({@code EXTERNAL}, the one {@code bootstrapServers()} names)
 * uses the chosen protocol and is also the inter-broker listener. With ACLs on, the controller
 * listener is {@code SASL_PLAINTEXT} with {@code PLAIN}, so brokers reach the controller as the
 * super user; otherwise it stays {@code PLAINTEXT}. The super user always authenticates with {@code
 * PLAIN}, whose users live in the JAAS configuration and so need no bootstrapping; SCRAM users are
 * created through the Admin API once the cluster runs (KIP-554).
 */
public final class ClusterSecurity {
  /** The principal the kit itself connects as; it is in {@code super.users}. */
  public static final String SUPER_USER = "kafkasdk-admin";

  static final String CLIENT_LISTENER = "EXTERNAL";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final String PLAIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String SCRAM_MODULE =
      "org.apache.kafka.common.security.scram.ScramLoginModule";

  private final Security security;
  private final String superUserPassword;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final CertificateAuthority ca;
  private final CertificateAuthority.Issued brokerCertificate;

  /**
   * Prepares the security of a new cluster.
   *
   * @param security the chosen option
   * @param declaredUsers users known from the start (name to password)
   */
  public ClusterSecurity(Security security, Map<String, String> declaredUsers) {
    this.security = Objects.requireNonNull(security, "security");
    this.superUserPassword = randomPassword();
    declaredUsers.forEach(
        (name, password) -> {
          validateUser(name, password);
          users.put(name, password);
        });
    if (security.encrypts()) {
      this.ca = CertificateAuthority.generate("kafka-sdk test CA");
      // Clients reach the brokers at localhost (what bootstrapServers() and the advertised
      // listeners say); 127.0.0.1 is there for clients configured with the address.
      this.brokerCertificate =
          ca.issue("localhost", List.of("localhost"), List.of("127.0.0.1", "::1"));
    } else {
      this.ca = null;
      this.brokerCertificate = null;
    }
  }

  /**
   * Checks a user name and password the kit puts into JAAS configuration text.
   *
   * @param name user name
   * @param password password
   * @throws IllegalArgumentException if either cannot be written there
   */
  public static void validateUser(String name, String password) {
    Objects.requireNonNull(name, "user");
    Objects.requireNonNull(password, "password");
    if (!USER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "user names must match " + USER_NAME.pattern() + ", was '" + name + "'");
    }
    validatePassword(password);
    if (name.equals(SUPER_USER)) {
      throw new IllegalArgumentException(SUPER_USER + " is the kit's own super user");
    }
  }

  private static void validatePassword(String password) {
    if (password.isEmpty() || password.indexOf('"') >= 0 || password.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "passwords must be non-empty and contain neither '\"' nor '\\'");
    }
  }

  /**
   * Returns the security option.
   *
   * @return the option
   */
  public Security security() {
    return security;
  }

  /** Remembers a user's password, so client settings can be made for it. */
  void rememberUser(String name, String password) {
    users.put(name, password);
  }

  /** Forgets a deleted user. */
  void forgetUser(String name) {
    users.remove(name);
  }

  /** Whether users are SCRAM users, created through the Admin API. */
  boolean usesScram() {
    return security == Security.SASL_SCRAM || security == Security.SASL_SSL;
  }

  /** Returns the users known from the start or created since (a snapshot). */
  Map<String, String> users() {
    return Map.copyOf(users);
  }

  /** Returns the broker settings for this option; empty for {@link Security#PLAINTEXT}. */
  Map<String, String> brokerConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    if (security == Security.PLAINTEXT) {
      return config;
    }
    String client = CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT);
    String controller = CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT);
    String controllerProtocol = security.authenticates() ? "SASL_PLAINTEXT" : "PLAINTEXT";
    config.put(
        "listener.security.protocol.map",
        CLIENT_LISTENER
            + ":"
            + clientProtocol()
            + ","
            + CONTROLLER_LISTENER
            + ":"
            + controllerProtocol);
    if (security.authenticates()) {
      String plainServer = plainServerJaas();
      config.put(
          "listener.name." + client + ".sasl.enabled.mechanisms", "PLAIN," + SCRAM_MECHANISM);
      config.put("listener.name." + client + ".plain.sasl.jaas.config", plainServer);
      config.put(
          "listener.name." + client + ".scram-sha-512.sasl.jaas.config",
          SCRAM_MODULE + " required;");
      config.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      config.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
      config.put("listener.name." + controller + ".plain.sasl.jaas.config", plainServer);
      config.put("sasl.mechanism.controller.protocol", "PLAIN");
      config.put(
          "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      config.put("allow.everyone.if.no.acl.found", "false");
      config.put("super.users", "User:" + SUPER_USER);
    }
    if (security.encrypts()) {
      config.put("ssl.keystore.type", "PEM");
      config.put("ssl.keystore.certificate.chain", brokerCertificate.certificateChainPem());
      config.put("ssl.keystore.key", brokerCertificate.privateKeyPem());
      config.put("ssl.truststore.type", "PEM");
      config.put("ssl.truststore.certificates", ca.certificatePem());
    }
    return config;
  }

  /**
   * The server side of {@code PLAIN}: the super user's own login (brokers use it towards each other
   * and the controller) and the password of every user declared before startup.
   */
  private String plainServerJaas() {
    StringBuilder jaas = new StringBuilder(PLAIN_MODULE).append(" required");
    jaas.append(" username=\"").append(SUPER_USER).append('"');
    jaas.append(" password=\"").append(superUserPassword).append('"');
    jaas.append(" user_").append(SUPER_USER).append("=\"").append(superUserPassword).append('"');
    users.forEach(
        (name, password) ->
            jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
    return jaas.append(';').toString();
  }

  private String clientProtocol() {
    switch (security) {
      case SASL_PLAIN:
      case SASL_SCRAM:
        return "SASL_PLAINTEXT";
      case SSL:
        return "SSL";
      case SASL_SSL:
        return "SASL_SSL";
      default:
        return "PLAINTEXT";
    }
  }

  /** The mechanism named users log in with. */
  String clientMechanism() {
    return security == Security.SASL_PLAIN ? "PLAIN" : SCRAM_MECHANISM;
  }

  /**
   * Returns client settings for a user the kit knows.
   *
   * @throws IllegalArgumentException if the user is unknown
   */
  Map<String, Object> clientProperties(String bootstrapServers, String user) {
    Objects.requireNonNull(user, "user");
    if (!security.authenticates()) {
      return clientProperties(bootstrapServers, user, "");
    }
    String password = users.get(user);
    if (password == null) {
      throw new IllegalArgumentException(
          "unknown user '"
              + user
              + "'; create it with createUser(name, password) or the builder's user(name, password),"
              + " or pass the password to clientProperties(user, password)");
    }
    return clientProperties(bootstrapServers, user, password);
  }

  /** Returns client settings with the given credentials, whether or not the broker knows them. */
  Map<String, Object> clientProperties(String bootstrapServers, String user, String password) {
    Map<String, Object> config = base(bootstrapServers);
    if (security.authenticates()) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      validatePassword(password);
      String mechanism = clientMechanism();
      config.put("sasl.mechanism", mechanism);
      config.put("sasl.jaas.config", clientJaas(mechanism, user, password));
    }
    return config;
  }

  /** Returns client settings for the super user. */
  Map<String, Object> adminProperties(String bootstrapServers) {
    Map<String, Object> config = base(bootstrapServers);
    if (security.authenticates()) {
      config.put("sasl.mechanism", "PLAIN");
      config.put("sasl.jaas.config", clientJaas("PLAIN", SUPER_USER, superUserPassword));
    }
    return config;
  }

  private Map<String, Object> base(String bootstrapServers) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    if (security != Security.PLAINTEXT) {
      config.put("security.protocol", clientProtocol());
    }
    if (security.encrypts()) {
      config.put("ssl.truststore.type", "PEM");
      config.put("ssl.truststore.certificates", ca.certificatePem());
    }
    return config;
  }

  private static String clientJaas(String mechanism, String user, String password) {
    String module = mechanism.equals("PLAIN") ? PLAIN_MODULE : SCRAM_MODULE;
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  /**
   * Returns the CA certificate clients must trust.
   *
   * @throws IllegalStateException if the client listener does not use TLS
   */
  String caCertificatePem() {
    if (ca == null) {
      throw new IllegalStateException(
          "this cluster's security is " + security + "; only SSL and SASL_SSL have a CA");
    }
    return ca.certificatePem();
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "ClusterSecurity[" + security + ", users " + users.keySet() + "]";
  }
}
