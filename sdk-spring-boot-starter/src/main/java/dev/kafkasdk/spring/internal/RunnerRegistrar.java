package dev.kafkasdk.spring.internal;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.spring.KafkaSdkRunners;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the lifecycle of every runner of the context: those of {@code kafkasdk.runners} and those
 * other integrations (annotated handler methods) {@link #register register}. Starts them in the
 * last lifecycle phase and, when the context closes, closes them all at once, each within its own
 * close timeout (drain, final commit), before any bean, and so any producer, is destroyed.
 * Thread-safe.
 */
public final class RunnerRegistrar implements KafkaSdkRunners, SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RunnerRegistrar.class);

  private final Map<String, Registered> runners = new LinkedHashMap<>();
  private boolean running;

  private record Registered(ConsumerRunner<?, ?> runner, boolean autoStartup) {}

  /** Creates an empty registry. */
  public RunnerRegistrar() {}

  /**
   * Adds a built runner, which this registry then starts (if {@code autoStartup}) and closes. A
   * runner registered while the registry runs starts at once.
   *
   * @param name the runner's name, unique in the context
   * @param runner the runner, not started
   * @param autoStartup whether to start it with the context
   * @throws IllegalStateException if a runner of that name is registered already
   */
  public synchronized void register(String name, ConsumerRunner<?, ?> runner, boolean autoStartup) {
    if (runners.containsKey(name)) {
      throw new IllegalStateException(
          "A Kafka SDK runner named '" + name + "' is registered already; give each a unique name");
    }
    runners.put(name, new Registered(runner, autoStartup));
    if (running && autoStartup) {
      runner.start();
    }
  }

  @Override
  public synchronized Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(runners.keySet()));
  }

  @Override
  public synchronized Optional<ConsumerRunner<?, ?>> runner(String name) {
    return Optional.ofNullable(runners.get(name)).map(Registered::runner);
  }

  @Override
  public synchronized void start() {
    running = true;
    runners.forEach(
        (name, registered) -> {
          if (registered.autoStartup()) {
            log.info("Starting Kafka SDK runner '{}'", name);
            registered.runner().start();
          }
        });
  }

  @Override
  public void stop() {
    closeAll();
  }

  @Override
  public void stop(Runnable callback) {
    Thread stopper =
        new Thread(
            () -> {
              try {
                closeAll();
              } finally {
                callback.run();
              }
            },
            "kafkasdk-runners-stop");
    stopper.start();
  }

  /** Closes every runner in parallel: each one's close waits up to its own close timeout. */
  private void closeAll() {
    List<ConsumerRunner<?, ?>> toClose = new ArrayList<>();
    synchronized (this) {
      running = false;
      runners.values().forEach(registered -> toClose.add(registered.runner()));
    }
    List<Thread> closers = new ArrayList<>();
    for (ConsumerRunner<?, ?> runner : toClose) {
      Thread closer = new Thread(runner::close, "kafkasdk-stop-" + runner.name());
      closer.start();
      closers.add(closer);
    }
    for (Thread closer : closers) {
      try {
        closer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return LIFECYCLE_PHASE;
  }
}
