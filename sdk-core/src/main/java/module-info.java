/**
 * Types every SDK module shares: the exception root {@link dev.kafkasdk.core.KafkaSdkException},
 * {@link dev.kafkasdk.core.SdkConfigException} and {@link dev.kafkasdk.core.PartitionReadiness}.
 *
 * <p>{@code dev.kafkasdk.core.internal} is exported only to the SDK modules that use it.
 */
module dev.kafkasdk.core {
  // Automatic module (no module descriptor, no Automatic-Module-Name): the name comes from the jar
  // file name, kafka-clients-<version>.jar. PartitionReadiness takes its Admin.
  requires transitive kafka.clients;

  exports dev.kafkasdk.core;
  exports dev.kafkasdk.core.internal to
      dev.kafkasdk.producer,
      dev.kafkasdk.consumer,
      dev.kafkasdk.topics;
}
