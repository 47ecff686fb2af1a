package dev.kafkasdk.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class AccessFailureTest {

  @Test
  void topicRefusalNamesTheTopicsAndTheAcl() {
    ExecutionException wrapped =
        new ExecutionException(new TopicAuthorizationException(Set.of("orders")));

    assertThat(AccessFailure.isAccessFailure(wrapped)).isTrue();
    assertThat(AccessFailure.describe(wrapped))
        .hasValueSatisfying(
            text ->
                assertThat(text)
                    .startsWith("authorization failed")
                    .contains("topic(s) orders", "Fix: grant", "WRITE", "--topic"));
  }

  @Test
  void eachRefusalSaysWhatToFix() {
    assertThat(AccessFailure.describe(GroupAuthorizationException.forGroupId("billing")))
        .hasValueSatisfying(t -> assertThat(t).contains("consumer group billing", "READ"));
    assertThat(
            AccessFailure.describe(
                new KafkaException(
                    "Cannot execute transactional method because we are in an error state",
                    new TransactionalIdAuthorizationException("denied"))))
        .hasValueSatisfying(t -> assertThat(t).contains("transactional.id", "--transactional-id"));
    assertThat(AccessFailure.describe(new ClusterAuthorizationException("denied")))
        .hasValueSatisfying(t -> assertThat(t).contains("IDEMPOTENT_WRITE", "KIP-679"));
    assertThat(AccessFailure.describe(new SaslAuthenticationException("invalid credentials")))
        .hasValueSatisfying(
            t -> assertThat(t).startsWith("authentication failed (SASL)").contains("sasl.jaas"));
    assertThat(AccessFailure.describe(new SslAuthenticationException("PKIX path")))
        .hasValueSatisfying(t -> assertThat(t).contains("ssl.truststore", "hostname"));
  }

  @Test
  void otherErrorsAreNoRefusal() {
    assertThat(AccessFailure.isAccessFailure(new TimeoutException("slow"))).isFalse();
    assertThat(AccessFailure.describe(new KafkaException("x"))).isEmpty();
    assertThat(AccessFailure.describe(null)).isEmpty();
  }
}
