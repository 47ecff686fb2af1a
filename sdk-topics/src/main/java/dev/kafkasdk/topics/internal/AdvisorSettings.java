package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.ClusterFacts;
import dev.kafkasdk.topics.ShareGroupSettings;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the advisor knows beyond the topic itself.
 *
 * @param production whether the topic is for production (stricter replication advice)
 * @param acksAll whether producers use acks=all
 * @param acks the producers' acks setting as given
 * @param consumers the largest expected consumer count in one group, if known
 * @param cluster facts about the cluster, if known
 * @param shareGroup the share group that reads the topic, if declared
 */
public record AdvisorSettings(
    boolean production,
    boolean acksAll,
    String acks,
    OptionalInt consumers,
    Optional<ClusterFacts> cluster,
    Optional<ShareGroupSettings> shareGroup) {}
