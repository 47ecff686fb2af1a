package dev.kafkasdk.test;

/**
 * How clients reach an embedded test cluster: the security protocol of its client listener, the
 * SASL mechanism clients use, and whether ACLs are enforced.
 *
 * <p>Every secured option except {@link #SSL} enforces ACLs with Kafka's {@code StandardAuthorizer}
 * and {@code allow.everyone.if.no.acl.found=false}: a user may do only what {@link
 * KafkaCluster#grant} allowed. The kit itself connects as a super user, so {@link
 * KafkaCluster#createTopic}, {@link TestRecords} and {@link ConsumerGroupOffsets} keep working.
 *
 * <p>Only the embedded backend can be secured by the kit.
 */
public enum Security {
  /** No authentication, no encryption, no ACLs: the default. */
  PLAINTEXT,
  /**
   * {@code SASL_PLAINTEXT} with the {@code PLAIN} mechanism (user and password sent as-is); ACLs
   * enforced.
   */
  SASL_PLAIN,
  /** {@code SASL_PLAINTEXT} with {@code SCRAM-SHA-512} (KIP-84, KIP-554); ACLs enforced. */
  SASL_SCRAM,
  /**
   * {@code SSL}: TLS encryption and server authentication with a CA the kit generates; clients are
   * not authenticated (they connect as {@code User:ANONYMOUS}), so no ACLs are enforced.
   */
  SSL,
  /** {@code SASL_SSL} with {@code SCRAM-SHA-512} over TLS; ACLs enforced. */
  SASL_SSL;

  /**
   * Tells whether clients authenticate as named users and ACLs are enforced.
   *
   * @return true for the SASL options
   */
  public boolean authenticates() {
    return this == SASL_PLAIN || this == SASL_SCRAM || this == SASL_SSL;
  }

  /**
   * Tells whether the client listener uses TLS.
   *
   * @return true for {@link #SSL} and {@link #SASL_SSL}
   */
  public boolean encrypts() {
    return this == SSL || this == SASL_SSL;
  }
}
