package dev.kafkasdk.consumer;

import java.util.concurrent.CountDownLatch;

/**
 * A dead-letter replay in its own JVM, for {@link DeadLetterReplayTest} to kill with SIGKILL while
 * a transaction is open: once at least the given number of records is committed and 5 more are sent
 * in the open transaction, it prints {@code OPEN <committed>} and blocks.
 */
public final class CrashableReplayMain {
  private CrashableReplayMain() {}

  /**
   * Runs until killed.
   *
   * @param args bootstrap servers, dead-letter topic, records to commit before blocking
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    long commitFirst = Long.parseLong(args[2]);
    CountDownLatch never = new CountDownLatch(1);
    DeadLetterReplay.builder(args[1])
        .bootstrapServers(args[0])
        .batchSize(10)
        .listener(
            new ReplayListener() {
              @Override
              public void onProgress(ReplayProgress progress) {
                if (progress.committed() >= commitFirst
                    && progress.sent() - progress.committed() == 5) {
                  System.out.println("OPEN " + progress.committed());
                  System.out.flush();
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              }
            })
        .build()
        .run();
    System.out.println("FINISHED");
  }
}
