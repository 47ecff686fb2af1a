/**
 * Topic specifications, administration, an advisor and a partition planner: {@link
 * dev.kafkasdk.topics.TopicSpec}, {@link dev.kafkasdk.topics.TopicAdmin}, {@link
 * dev.kafkasdk.topics.TopicAdvisor}, {@link dev.kafkasdk.topics.PartitionPlanner}.
 */
module dev.kafkasdk.topics {
  requires transitive dev.kafkasdk.core;
  requires transitive kafka.clients;
  requires transitive micrometer.core;
  requires io.github.resilience4j.core;
  requires org.slf4j;

  exports dev.kafkasdk.topics;
}
