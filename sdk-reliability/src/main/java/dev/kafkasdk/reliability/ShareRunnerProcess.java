package dev.kafkasdk.reliability;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.reliability.Events.Delivery;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A share-group runner ({@link Strategy#shareGroup(int, int, int)}) in its own JVM, so a test can
 * kill it with {@code SIGKILL} at any moment. Its handler fails records as a {@link
 * ShareGroupScript} says (poison: every call; flaky: the first call in this process), retries
 * through the {@link RetryPolicy} (each retry a {@code RELEASE} and a new delivery) and
 * dead-letters what is given up. Like {@link RunnerProcess}, every finished handler call, failed or
 * not, is appended to a file with one {@code write} system call, in {@link RunnerProcess}'s format.
 *
 * <p>Arguments: {@code bootstrap topic group consumers workersPerConsumer deliveryCountLimit
 * maxAttempts maxDelayMillis deliveriesFile runnerName seed scriptSeed percentPoison percentFlaky}.
 * SIGTERM closes the runner gracefully.
 */
public final class ShareRunnerProcess {
  private ShareRunnerProcess() {}

  /**
   * Runs the runner until the JVM is told to stop.
   *
   * @param args see the class comment
   * @throws Exception if the runner cannot start
   */
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    int consumers = Integer.parseInt(args[3]);
    int workers = Integer.parseInt(args[4]);
    int deliveryCountLimit = Integer.parseInt(args[5]);
    int maxAttempts = Integer.parseInt(args[6]);
    int maxDelay = Integer.parseInt(args[7]);
    Path file = Path.of(args[8]);
    String name = args[9];
    Random random = new Random(Long.parseLong(args[10]));
    ShareGroupScript script =
        new ShareGroupScript(
            Long.parseLong(args[11]), Integer.parseInt(args[12]), Integer.parseInt(args[13]));
    Set<Payload> flakyFailed = ConcurrentHashMap.newKeySet();
    FileOutputStream out = new FileOutputStream(file.toFile(), true);
    ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(bootstrap)
            .groupId(group)
            .topics(topic)
            .name(name)
            .strategy(Strategy.shareGroup(consumers, workers, deliveryCountLimit))
            .retry(RetryPolicy.builder().maxAttempts(maxAttempts).backoff(attempt -> 5L).build())
            .onFailure(FailureAction.deadLetter())
            .handler(
                record -> {
                  long start = System.nanoTime();
                  int delay;
                  synchronized (random) {
                    delay = maxDelay == 0 ? 0 : random.nextInt(maxDelay + 1);
                  }
                  if (delay > 0) {
                    TimeUnit.MILLISECONDS.sleep(delay); // simulated work
                  }
                  Payload payload = Payload.decode(record.value());
                  boolean fails =
                      script.poison(payload) || (script.flaky(payload) && flakyFailed.add(payload));
                  Delivery delivery =
                      fails
                          ? Delivery.failed(name, record, start)
                          : Delivery.finished(name, record, start);
                  byte[] line = RunnerProcess.format(delivery).getBytes(StandardCharsets.UTF_8);
                  synchronized (out) {
                    out.write(line);
                  }
                  if (fails) {
                    throw new IllegalStateException("scripted failure of " + payload);
                  }
                })
            .build();
    ChildJvmRunner.runUntilTerminated(runner, name, () -> {});
  }
}
