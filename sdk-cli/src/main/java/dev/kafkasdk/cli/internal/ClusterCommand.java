package dev.kafkasdk.cli.internal;

import dev.kafkasdk.topics.TopicAdmin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Mixin;

/**
 * The base of a command that talks to a cluster: adds {@code --bootstrap-server}, {@code
 * --command-config} and {@code --timeout}, and builds the clients from them.
 */
public abstract class ClusterCommand extends CliCommand {
  /** {@code --bootstrap-server}, {@code --command-config}, {@code --timeout}. */
  @Mixin protected ClusterOptions cluster;

  private Map<String, Object> clientConfig;

  /**
   * The client configuration from the options (read once).
   *
   * @return bootstrap servers, the command-config file's settings and timeouts
   * @throws CommandException (usage) if the options do not name a cluster
   */
  protected final Map<String, Object> clientConfig() {
    if (clientConfig == null) {
      clientConfig = cluster.clientConfig();
    }
    return clientConfig;
  }

  /**
   * A new Admin client; close it.
   *
   * @return the client
   */
  protected final Admin admin() {
    return Admin.create(clientConfig());
  }

  /**
   * A new {@link TopicAdmin} on its own Admin client, with {@code --timeout}; close it. Its meters
   * go to a private registry: the tool publishes none.
   *
   * @return the topic admin
   */
  protected final TopicAdmin topicAdmin() {
    return TopicAdmin.builder()
        .clientConfig(clientConfig())
        .timeout(cluster.timeout())
        .meterRegistry(new SimpleMeterRegistry())
        .build();
  }

  @Override
  protected Map<String, ?> secretsToHide() {
    return clientConfig == null ? Map.of() : clientConfig;
  }
}
