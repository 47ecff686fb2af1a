package dev.kafkasdk.cli.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/**
 * How a command reaches the cluster, named as Kafka's own tools name them: {@code
 * --bootstrap-server} and {@code --command-config} (a client properties file, for security
 * settings), plus {@code --timeout} for every call.
 */
public final class ClusterOptions {
  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT[,...]",
      description =
          "Brokers to connect to. Overrides bootstrap.servers from --command-config; required"
              + " unless that file sets it.")
  String bootstrapServer;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Client properties file (security.protocol, sasl.*, ssl.* ...), as Kafka's tools take.")
  Path commandConfig;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to wait for the cluster per call (500ms, 10s, 2m). Default: 30s.")
  Duration timeout = Duration.ofSeconds(30);

  /**
   * The client configuration: the command-config file, then the bootstrap server, then timeouts so
   * that an unreachable cluster fails within {@code --timeout}.
   *
   * @return a new mutable map
   * @throws CommandException (usage) if the file cannot be read or no bootstrap server is given
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    if (commandConfig != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw CommandException.usage(
            "cannot read --command-config " + commandConfig + ": " + e.getMessage());
      }
      properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
    }
    if (bootstrapServer != null) {
      config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    }
    if (!config.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw CommandException.usage(
          "no cluster given: pass --bootstrap-server HOST:PORT (or set bootstrap.servers in"
              + " --command-config)");
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "ksdk");
    return config;
  }

  /**
   * Whether the command line names a cluster at all (commands that also work offline ask).
   *
   * @return true if {@code --bootstrap-server} or {@code --command-config} was given
   */
  public boolean given() {
    return bootstrapServer != null || commandConfig != null;
  }

  /**
   * The per-call timeout.
   *
   * @return {@code --timeout}
   */
  public Duration timeout() {
    return timeout;
  }
}
