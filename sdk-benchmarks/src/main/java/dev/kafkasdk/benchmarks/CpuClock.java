package dev.kafkasdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/** CPU time of the whole JVM and of chosen threads, for per-record CPU figures. */
final class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuClock() {}

  /** CPU time of the whole JVM (broker included), or 0 where the JVM does not tell. */
  static long processNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** CPU time of the calling thread. */
  static long currentThreadNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** The ids of live threads whose name contains {@code fragment}. */
  static long[] threadsNamed(String fragment) {
    return Arrays.stream(THREADS.dumpAllThreads(false, false))
        .filter(info -> info.getThreadName().contains(fragment))
        .mapToLong(ThreadInfo::getThreadId)
        .toArray();
  }

  /** The summed CPU time of the given threads (a thread that has ended counts 0). */
  static long threadsNanos(long[] ids) {
    long total = 0;
    for (long id : ids) {
      total += Math.max(0, THREADS.getThreadCpuTime(id));
    }
    return total;
  }
}
