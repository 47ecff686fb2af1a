package dev.kafkasdk.test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Remembers which cluster instances the shared-cluster tests were given. */
final class SharedClusters {
  private static final Set<KafkaCluster> SEEN =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private SharedClusters() {}

  /** Records the instance and returns how many distinct instances have been seen. */
  static int record(KafkaCluster cluster) {
    SEEN.add(cluster);
    return SEEN.size();
  }
}
