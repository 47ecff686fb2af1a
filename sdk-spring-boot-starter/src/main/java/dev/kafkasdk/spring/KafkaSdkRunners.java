package dev.kafkasdk.spring;

import dev.kafkasdk.consumer.ConsumerRunner;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.SmartLifecycle;

/**
 * The runners of the application context, by name: those declared in {@code kafkasdk.runners} and
 * those other SDK integrations register (for example annotated handler methods). A bean of this
 * type always exists with the starter; health checks and operations code read it.
 *
 * <p>The runners start in the context's last lifecycle phase ({@link #LIFECYCLE_PHASE}), after
 * every other bean is ready, unless their {@code auto-startup} is false; then {@code
 * runner(name).get().start()} starts them. They stop first when the context closes: each drains its
 * running handlers and commits within its {@code close-timeout}, all runners at once, before any
 * producer bean is closed (producers close with the beans, after every lifecycle has stopped).
 *
 * <pre>{@code
 * @Autowired KafkaSdkRunners runners;
 *
 * RunnerHealth health = runners.runner("orders").orElseThrow().health();
 * }</pre>
 */
public interface KafkaSdkRunners {

  /**
   * The {@link SmartLifecycle} phase of the runners: {@link SmartLifecycle#DEFAULT_PHASE}, so they
   * start after and stop before the beans of every lower phase (the web server among them).
   */
  int LIFECYCLE_PHASE = SmartLifecycle.DEFAULT_PHASE;

  /**
   * Returns the names of the registered runners.
   *
   * @return the names in registration order, an unmodifiable snapshot
   */
  Set<String> names();

  /**
   * Returns the runner of a name.
   *
   * @param name the runner's name, as in {@code kafkasdk.runners.<name>}
   * @return the runner, or empty if none has that name
   */
  Optional<ConsumerRunner<?, ?>> runner(String name);
}
