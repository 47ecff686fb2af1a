package dev.kafkasdk.reliability;

/**
 * The one 3-node cluster of child processes, behind fault proxies, that the broker-fault classes
 * share ({@link ProducerFaultsTest}, {@link NetworkFaultsTest}, {@link
 * ExactlyOnceCoordinatorFaultsTest}, {@link ShareGroupFaultsTest}, {@link
 * ChildProcessClusterTest}). Starting such a cluster takes 10-15 s on a loaded 2-core machine; one
 * per class cost the suite most of a minute.
 *
 * <p>Started on first use and closed when the test JVM exits. Every class gets it {@linkplain
 * ChildProcessCluster#restoreAll() restored} (every node running, every proxy healed), and uses
 * topic, group and transactional-id names of its own. Clients that the proxies should not see use
 * {@link ChildProcessCluster#directBootstrapServers()} or {@link ChildProcessCluster#direct()}.
 */
final class SharedProcessCluster {
  private static ChildProcessCluster cluster;

  private SharedProcessCluster() {}

  /**
   * Returns the shared cluster with every node running and every proxy healed.
   *
   * @return the cluster; do not close it
   */
  static synchronized ChildProcessCluster get() {
    if (cluster == null) {
      ChildProcessCluster started = ChildProcessCluster.startBehindProxies(3);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::close, "shared-process-cluster-close"));
      cluster = started;
    } else {
      cluster.restoreAll();
    }
    return cluster;
  }
}
