package dev.kafkasdk.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against a real Kafka cluster and injects it.
 *
 * <p>Test methods (and lifecycle methods) may declare parameters of type {@link KafkaCluster} and
 * {@link TestNames}. With {@link Scope#JVM} (the default) one cluster per distinct configuration is
 * started for the whole JVM and shared by all test classes; give each test its own topics and
 * groups through {@link TestNames} so classes do not interfere.
 *
 * <pre>{@code
 * @KafkaTest
 * class OrdersTest {
 *   @Test
 *   void roundTrip(KafkaCluster kafka, TestNames names) {
 *     kafka.createTopic(names.topic(), 3, 1);
 *     TestRecords records = TestRecords.of(kafka);
 *     records.produce(names.topic(), "k", "v");
 *     assertThat(records.consume(names.topic(), 1, Duration.ofSeconds(30))).hasSize(1);
 *   }
 * }
 * }</pre>
 *
 * <p>If the backend cannot run here (Testcontainers without Docker) the tests are skipped with the
 * reason, never failed and never run on another backend.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaClusterExtension.class)
public @interface KafkaTest {

  /**
   * Number of brokers.
   *
   * @return broker count, default 1
   */
  int brokers() default 1;

  /**
   * Whether the cluster is shared by the JVM or private to the annotated class.
   *
   * @return the scope, default {@link Scope#JVM}
   */
  Scope scope() default Scope.JVM;

  /**
   * The backend.
   *
   * @return the backend, default {@link Backend#DEFAULT}
   */
  Backend backend() default Backend.DEFAULT;

  /**
   * Extra broker configuration as {@code key=value} strings (embedded backend). Clusters with
   * different settings are never shared.
   *
   * @return broker properties, default none
   */
  String[] brokerConfig() default {};

  /**
   * How clients reach the cluster (embedded backend): see {@link Security}. On a secured cluster
   * the injected {@link KafkaCluster} hands out client settings per user ({@link
   * KafkaCluster#clientProperties(String)}) and creates users and ACLs while it runs.
   *
   * <pre>{@code
   * @KafkaTest(security = Security.SASL_SCRAM)
   * class OrdersAclTest {
   *   @Test
   *   void aliceMayWrite(KafkaCluster kafka, TestNames names) {
   *     kafka.createTopic(names.topic(), 1, 1);
   *     kafka.createUser("alice", "alice-secret");
   *     kafka.grant("alice", ResourceType.TOPIC, names.topic(), AclOperation.WRITE);
   *     // a producer built from kafka.clientProperties("alice") may write names.topic()
   *   }
   * }
   * }</pre>
   *
   * @return the security option, default {@link Security#PLAINTEXT}
   */
  Security security() default Security.PLAINTEXT;

  /**
   * Users that exist from startup, as {@code name:password} strings; the only way to have {@link
   * Security#SASL_PLAIN} users. Clusters with different users are never shared.
   *
   * @return users, default none
   */
  String[] users() default {};

  /** How long a cluster lives. */
  enum Scope {
    /** One cluster per JVM and configuration, closed when the test run ends. */
    JVM,
    /**
     * A cluster for this class alone, closed after its last test; use it for tests that stop
     * brokers.
     */
    CLASS
  }
}
