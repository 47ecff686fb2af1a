package dev.kafkasdk.test;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique topic, group and transactional ids for one test, so tests sharing a cluster never see each
 * other's data. Names are readable ({@code ordertest-roundtrip-12-orders}) and valid Kafka names.
 */
public final class TestNames {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final String base;

  private TestNames(String base) {
    this.base = base;
  }

  /**
   * Names for a test method; every call gives a new, distinct prefix.
   *
   * @param testClass the test class
   * @param method the test method name
   * @return fresh names
   */
  public static TestNames forTest(Class<?> testClass, String method) {
    Objects.requireNonNull(testClass, "testClass");
    Objects.requireNonNull(method, "method");
    String raw = testClass.getSimpleName() + "-" + method;
    String clean = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    if (clean.length() > 80) {
      clean = clean.substring(0, 80);
    }
    return new TestNames(clean + "-" + SEQUENCE.incrementAndGet());
  }

  /**
   * Returns the test's main topic name.
   *
   * @return a topic name unique to this test
   */
  public String topic() {
    return base;
  }

  /**
   * Returns another topic name for this test, e.g. {@code topic("out")}.
   *
   * @param suffix distinguishes topics of the same test
   * @return a topic name unique to this test and suffix
   */
  public String topic(String suffix) {
    return base + "-" + suffix;
  }

  /**
   * Returns a consumer group id unique to this test.
   *
   * @return a group id
   */
  public String groupId() {
    return base + "-group";
  }

  /**
   * Returns a transactional id (or prefix) unique to this test.
   *
   * @return a transactional id
   */
  public String transactionalId() {
    return base + "-tx";
  }

  @Override
  public String toString() {
    return base;
  }
}
