package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.BackendUnavailableException;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.Security;
import java.time.Duration;
import java.util.Map;

/** Resolves a backend and starts the matching cluster implementation. */
public final class ClusterFactory {

  /** What {@link KafkaCluster.Builder} collected. */
  public record Spec(
      int brokers,
      boolean combined,
      int controllers,
      Backend backend,
      int startupAttempts,
      Duration startupTimeout,
      Map<String, String> brokerConfig,
      Security security,
      Map<String, String> users) {}

  private ClusterFactory() {}

  /**
   * Starts a cluster for the spec.
   *
   * @param spec the requested cluster
   * @return the running cluster
   */
  public static KafkaCluster start(Spec spec) {
    Backend backend = resolve(spec.backend());
    if (spec.security() != Security.PLAINTEXT && backend != Backend.EMBEDDED) {
      throw new BackendUnavailableException(
          "security "
              + spec.security()
              + " is set up by the kit only on the embedded backend, not on "
              + backend);
    }
    switch (backend) {
      case EMBEDDED:
        return EmbeddedKafkaCluster.start(spec);
      case TESTCONTAINERS:
        if (spec.brokers() != 1) {
          throw new BackendUnavailableException(
              "the Testcontainers backend runs a single broker; "
                  + spec.brokers()
                  + " brokers need the embedded backend");
        }
        return TestcontainersProbe.start(spec);
      case EXTERNAL:
        return ExternalKafkaCluster.connect(externalBootstrap(), spec);
      default:
        throw new IllegalStateException("unresolved backend " + backend);
    }
  }

  /**
   * Resolves {@link Backend#DEFAULT} from the environment.
   *
   * @param requested the requested backend
   * @return a concrete backend
   */
  public static Backend resolve(Backend requested) {
    if (requested != Backend.DEFAULT) {
      return requested;
    }
    return externalBootstrap() != null ? Backend.EXTERNAL : Backend.EMBEDDED;
  }

  static String externalBootstrap() {
    String fromProperty = System.getProperty(KafkaCluster.BOOTSTRAP_PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty.trim();
    }
    String fromEnv = System.getenv(KafkaCluster.BOOTSTRAP_ENV);
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
  }
}
