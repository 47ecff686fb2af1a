/**
 * Topic design and capacity planning: declare a topic with {@link dev.kafkasdk.topics.TopicSpec},
 * create or verify it with {@link dev.kafkasdk.topics.TopicAdmin}, check it against known
 * operational pitfalls with {@link dev.kafkasdk.topics.TopicAdvisor}, and size its partition count
 * from measured throughput with {@link dev.kafkasdk.topics.PartitionPlanner} and {@link
 * dev.kafkasdk.topics.HandlerThroughputProbe}.
 *
 * <p>Classes in {@code dev.kafkasdk.topics.internal} are implementation details.
 */
package dev.kafkasdk.topics;
