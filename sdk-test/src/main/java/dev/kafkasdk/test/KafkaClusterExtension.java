package dev.kafkasdk.test;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit 5 extension behind {@link KafkaTest}: starts or reuses a cluster and resolves {@link
 * KafkaCluster} and {@link TestNames} parameters. Use it through the annotation.
 */
public final class KafkaClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaClusterExtension.class);

  /** Created by JUnit. */
  public KafkaClusterExtension() {}

  /** Starts the cluster before the first test so its startup time is not charged to a test. */
  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      cluster(context);
    } catch (TestAbortedException e) {
      // Reported per test by beforeEach, so each test counts as skipped with the reason.
    }
  }

  /** Skips the test, with the reason, when the backend cannot run here. */
  @Override
  public void beforeEach(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaCluster.class || type == TestNames.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    Class<?> type = parameter.getParameter().getType();
    if (type == KafkaCluster.class) {
      return cluster(context);
    }
    return TestNames.forTest(
        context.getRequiredTestClass(),
        context.getTestMethod().map(m -> m.getName()).orElse("all"));
  }

  private static KafkaCluster cluster(ExtensionContext context) {
    KafkaTest settings =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KafkaTest.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "KafkaClusterExtension needs @KafkaTest on "
                            + context.getRequiredTestClass()));
    List<String> config = Arrays.asList(settings.brokerConfig());
    List<String> users = Arrays.asList(settings.users());
    String key =
        settings.backend()
            + "/"
            + settings.brokers()
            + "/"
            + config
            + "/"
            + settings.security()
            + "/"
            + users;
    ExtensionContext owner =
        settings.scope() == KafkaTest.Scope.JVM ? context.getRoot() : classContext(context);
    Holder holder =
        owner
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(key, k -> new Holder(settings, config, users), Holder.class);
    return holder.cluster();
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /**
   * Keeps either the started cluster or the reason the backend is unavailable, so every test of a
   * skipped backend is skipped with the same reason without retrying the probe. JUnit closes it
   * when its store closes.
   */
  private static final class Holder implements AutoCloseable {
    private final KafkaCluster cluster;
    private final String unavailable;

    Holder(KafkaTest settings, List<String> config, List<String> users) {
      KafkaCluster started = null;
      String reason = null;
      try {
        KafkaCluster.Builder builder =
            KafkaCluster.builder().brokers(settings.brokers()).backend(settings.backend());
        for (String entry : config) {
          int eq = entry.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "@KafkaTest brokerConfig entries must look like key=value, got '" + entry + "'");
          }
          builder.brokerConfig(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        builder.security(settings.security());
        for (String entry : users) {
          int colon = entry.indexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException(
                "@KafkaTest users entries must look like name:password, got an entry without"
                    + " ':' or name");
          }
          builder.user(entry.substring(0, colon), entry.substring(colon + 1));
        }
        started = builder.start();
      } catch (BackendUnavailableException e) {
        reason = e.getMessage();
        System.err.println("[kafka-sdk test kit] skipping: " + reason);
      }
      this.cluster = started;
      this.unavailable = reason;
    }

    KafkaCluster cluster() {
      if (cluster == null) {
        throw new TestAbortedException(unavailable);
      }
      return cluster;
    }

    @Override
    public void close() {
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
