package dev.kafkasdk.benchmarks;

/**
 * A peer library's consumer built in its own class loader ({@link PeerClassLoader}): what {@link
 * PeerTrials.Peer} needs, in types both class loaders share. Public only so that the adapter, in
 * another package, can implement it.
 */
public interface IsolatedPeer extends AutoCloseable {

  /** Starts consuming. */
  void start();

  /** Partitions the peer's consumers own now; safe to call from any thread. */
  int assignedPartitions();

  /** Stops consuming and closes the peer's clients, committing what it handled. */
  @Override
  void close();
}
