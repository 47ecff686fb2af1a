package dev.kafkasdk.consumer.internal;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * The SLF4J binding of this module's tests (chosen with the {@code slf4j.provider} system property
 * in the pom): slf4j-simple's loggers, but a working MDC (slf4j-simple's own is a no-op), and
 * loggers named under {@value #CAPTURED} keep every event with the MDC it was logged with, as an
 * appender would see it.
 */
public final class CapturingLogProvider extends SimpleServiceProvider {
  /** Loggers whose names start with this capture their events instead of printing them. */
  public static final String CAPTURED = "capture.";

  /** Every captured event, in order. */
  public static final Queue<Event> EVENTS = new ConcurrentLinkedQueue<>();

  private final MDCAdapter mdc = new BasicMDCAdapter();
  private ILoggerFactory loggers;

  /**
   * One captured log event.
   *
   * @param logger the logger's name
   * @param message the formatted message
   * @param mdc the MDC when it was logged
   * @param thread the logging thread
   */
  public record Event(String logger, String message, Map<String, String> mdc, String thread) {}

  @Override
  public void initialize() {
    super.initialize();
    ILoggerFactory simple = super.getLoggerFactory();
    loggers =
        name -> name.startsWith(CAPTURED) ? new CapturingLogger(name) : simple.getLogger(name);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  private final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      Map<String, String> context = mdc.getCopyOfContextMap();
      EVENTS.add(
          new Event(
              name,
              MessageFormatter.basicArrayFormat(pattern, arguments),
              context == null ? Map.of() : context,
              Thread.currentThread().getName()));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  /**
   * Returns a logger whose events are captured.
   *
   * @param name appended to {@value #CAPTURED}
   * @return the logger
   */
  public static Logger captured(String name) {
    return org.slf4j.LoggerFactory.getLogger(CAPTURED + name);
  }
}
