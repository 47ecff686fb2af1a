package dev.kafkasdk.test;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

  /**
   * Returns the cluster that {@link KafkaTest} on {@code testClass} gives the class's tests,
   * starting it if no test has asked for it yet: the same instance a {@link KafkaCluster} parameter
   * of those tests receives. For frameworks that build a test's application before its first test
   * method runs, such as Spring's test context (the Kafka SDK's Spring Boot starter uses it to set
   * {@code kafkasdk.bootstrap-servers} for a {@code @SpringBootTest} that is also a
   * {@code @KafkaTest}). The cluster is closed when the JUnit run ends, like every cluster of
   * {@link KafkaTest.Scope#JVM} scope; callers must not close it.
   *
   * <pre>{@code
   * KafkaCluster kafka = KafkaClusterExtension.clusterFor(OrdersApplicationTest.class);
   * String servers = kafka.bootstrapServers();
   * }</pre>
   *
   * @param testClass a class annotated (directly, by inheritance or as a meta-annotation) with
   *     {@link KafkaTest} of {@link KafkaTest.Scope#JVM} scope
   * @return the running cluster
   * @throws IllegalArgumentException if {@code testClass} has no {@link KafkaTest}
   * @throws IllegalStateException if its scope is {@link KafkaTest.Scope#CLASS}: such a cluster
   *     exists only while JUnit runs that class, so nothing outside its tests can share it
   * @throws org.opentest4j.TestAbortedException if the backend cannot run here (the class's tests
   *     are skipped for the same reason)
   */
  public static KafkaCluster clusterFor(Class<?> testClass) {
    KafkaTest settings =
        AnnotationSupport.findAnnotation(testClass, KafkaTest.class)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(testClass + " is not annotated with @KafkaTest"));
    if (settings.scope() != KafkaTest.Scope.JVM) {
      throw new IllegalStateException(
          "@KafkaTest(scope = CLASS) on "
              + testClass.getName()
              + " gives a cluster that only the class's test methods can receive; use the default"
              + " JVM scope to share it (e.g. with a Spring application context), or start a"
              + " KafkaCluster yourself");
    }
    return JvmClusters.holder(settings).cluster();
  }

  private static KafkaCluster cluster(ExtensionContext context) {
    KafkaTest settings =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KafkaTest.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "KafkaClusterExtension needs @KafkaTest on "
                            + context.getRequiredTestClass()));
    if (settings.scope() == KafkaTest.Scope.JVM) {
      Holder holder = JvmClusters.holder(settings);
      // Whoever started it (a test or clusterFor), it is closed when the run ends.
      context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              JvmClusters.key(settings),
              key -> (AutoCloseable) () -> JvmClusters.close(key),
              AutoCloseable.class);
      return holder.cluster();
    }
    Holder holder =
        classContext(context)
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                JvmClusters.key(settings), k -> new Holder(settings), Holder.class);
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
   * The clusters of {@link KafkaTest.Scope#JVM} scope, one per configuration. They live here rather
   * than in JUnit's root store so that {@link #clusterFor(Class)}, which has no JUnit context,
   * finds the same instance; the root store only closes them when the run ends.
   */
  private static final class JvmClusters {
    private static final ConcurrentMap<String, Holder> HOLDERS = new ConcurrentHashMap<>();

    private JvmClusters() {}

    /** Two annotations with equal settings share a cluster; any other difference starts another. */
    static String key(KafkaTest settings) {
      return settings.backend()
          + "/"
          + settings.brokers()
          + "/"
          + Arrays.asList(settings.brokerConfig())
          + "/"
          + settings.security()
          + "/"
          + Arrays.asList(settings.users());
    }

    static Holder holder(KafkaTest settings) {
      // A holder starts its cluster lazily under its own lock, so starting one configuration never
      // blocks the map for another.
      return HOLDERS.computeIfAbsent(key(settings), key -> new Holder(settings));
    }

    static void close(String key) {
      Holder holder = HOLDERS.remove(key);
      if (holder != null) {
        holder.close();
      }
    }
  }

  /**
   * Keeps either the started cluster or the reason the backend is unavailable, so every test of a
   * skipped backend is skipped with the same reason without retrying the probe. JUnit closes it
   * when its store closes.
   */
  private static final class Holder implements AutoCloseable {
    private final KafkaTest settings;
    private KafkaCluster cluster;
    private String unavailable;
    private boolean started;
    private boolean closed;

    Holder(KafkaTest settings) {
      this.settings = settings;
    }

    synchronized KafkaCluster cluster() {
      if (closed) {
        throw new IllegalStateException("the @KafkaTest cluster was closed when the run ended");
      }
      if (!started) {
        started = true;
        start();
      }
      if (cluster == null) {
        throw new TestAbortedException(unavailable);
      }
      return cluster;
    }

    private void start() {
      try {
        KafkaCluster.Builder builder =
            KafkaCluster.builder().brokers(settings.brokers()).backend(settings.backend());
        for (String entry : settings.brokerConfig()) {
          int eq = entry.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "@KafkaTest brokerConfig entries must look like key=value, got '" + entry + "'");
          }
          builder.brokerConfig(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        builder.security(settings.security());
        for (String entry : settings.users()) {
          int colon = entry.indexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException(
                "@KafkaTest users entries must look like name:password, got an entry without"
                    + " ':' or name");
          }
          builder.user(entry.substring(0, colon), entry.substring(colon + 1));
        }
        cluster = builder.start();
      } catch (BackendUnavailableException e) {
        unavailable = e.getMessage();
        System.err.println("[kafka-sdk test kit] skipping: " + unavailable);
      }
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
