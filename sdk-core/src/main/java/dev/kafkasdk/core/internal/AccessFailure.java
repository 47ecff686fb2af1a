package dev.kafkasdk.core.internal;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Recognizes a cluster's refusal of a client (authentication failed, or an ACL is missing) in an
 * error's cause chain, and says in one sentence what was refused and how to fix it. The producers
 * put the sentence into their exception messages and the runners into their failure, so every SDK
 * component words the same refusal the same way.
 *
 * <p>Kafka's messages name what was refused (the topics, the group) but not the fix, and an
 * authentication failure does not say which credential is wrong; the sentence adds what to check.
 * It never quotes a credential: it is built from exception types and the names Kafka reports.
 */
public final class AccessFailure {
  // Deep enough for SDK wrappers around a Kafka wrapper around the refusal; bounded against cycles.

  private AccessFailure() {}

  /**
   * Tells whether the error, or a cause of it, is an authentication or authorization failure.
   *
   * @param error the error, may be null
   * @return true if the cluster refused the client
   */
  public static boolean isAccessFailure(Throwable error) {
    return find(error) != null;
  }

  /**
   * Describes the authentication or authorization failure in the error's cause chain.
   *
   * @param error the error, may be null
   * @return what was refused and the fix, or empty if the chain holds no such failure
   */
  public static Optional<String> describe(Throwable error) {
    Throwable refusal = find(error);
    return refusal == null ? Optional.empty() : Optional.of(sentence(refusal));
  }

  private static Throwable find(Throwable error) {
    return CauseChain.first(
        error, t -> t instanceof AuthenticationException || t instanceof AuthorizationException);
  }

  private static String sentence(Throwable refusal) {
    if (refusal instanceof TopicAuthorizationException e) {
      String topics =
          e.unauthorizedTopics().isEmpty()
              ? "the topic"
              : "topic(s) " + String.join(", ", e.unauthorizedTopics());
      return "authorization failed: the client's principal is not allowed to use "
          + topics
          + ". Fix: grant it the ACL for the operation (WRITE to produce, READ to consume, both"
          + " include DESCRIBE), e.g. kafka-acls.sh --add --allow-principal User:<name>"
          + " --operation Write --topic <topic>";
    }
    if (refusal instanceof GroupAuthorizationException e) {
      String group = e.groupId() == null ? "the consumer group" : "consumer group " + e.groupId();
      return "authorization failed: the client's principal is not allowed to use "
          + group
          + ". Fix: grant it READ on the group, e.g. kafka-acls.sh --add --allow-principal"
          + " User:<name> --operation Read --group <group>";
    }
    if (refusal instanceof TransactionalIdAuthorizationException) {
      return "authorization failed: the client's principal is not allowed to use its"
          + " transactional.id. Fix: grant it WRITE on the transactional id; a prefixed ACL on the"
          + " SDK's prefix covers every producer of a pool, e.g. kafka-acls.sh --add"
          + " --allow-principal User:<name> --operation Write --transactional-id <prefix>"
          + " --resource-pattern-type prefixed";
    }
    if (refusal instanceof ClusterAuthorizationException) {
      return "authorization failed: the client's principal is not allowed a cluster operation;"
          + " an idempotent producer (the SDK's default) needs WRITE on at least one topic or"
          + " IDEMPOTENT_WRITE on the cluster to get a producer id (KIP-679). Fix: grant WRITE on"
          + " the topics it writes";
    }
    if (refusal instanceof AuthorizationException) {
      return "authorization failed: an ACL is missing for this operation. Fix: grant the client's"
          + " principal the ACL the broker's message names";
    }
    if (refusal instanceof SaslAuthenticationException) {
      return "authentication failed (SASL): the broker refused the credentials. Fix: check the"
          + " user name and password in sasl.jaas.config, and that sasl.mechanism is one the"
          + " broker enables and the user has credentials for (SCRAM credentials exist per"
          + " mechanism)";
    }
    if (refusal instanceof SslAuthenticationException) {
      return "authentication failed (TLS handshake). Fix: check that ssl.truststore.* trusts the"
          + " CA that signed the broker's certificate, that the certificate names the host in"
          + " bootstrap.servers (hostname verification, ssl.endpoint.identification.algorithm="
          + "https, is on by default), and for mutual TLS ssl.keystore.*";
    }
    return "authentication failed. Fix: check security.protocol, sasl.mechanism and the"
        + " credentials against the broker's listener";
  }
}
