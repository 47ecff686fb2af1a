package dev.kafkasdk.compat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;

/**
 * One ZooKeeper-mode Kafka broker of an old release, and its ZooKeeper, as two child JVMs started
 * from that release's own jars (the class path old-broker/pom.xml resolved into {@code
 * target/broker.classpath}). Kafka before 3.3 has no production KRaft mode and no test kit this JVM
 * could load next to the SDK's kafka-clients, so the broker runs from its own class path the way an
 * operator runs it: {@code kafka.Kafka server.properties}.
 */
final class OldBroker implements AutoCloseable {
  /** System property naming the class path file (set by this module's Surefire configuration). */
  static final String CLASSPATH_PROPERTY = "kafkasdk.oldBroker.classpath";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private String bootstrap;

  private OldBroker(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts ZooKeeper and the broker, and waits until the broker answers an Admin client.
   *
   * @param dir a fresh directory for data and the children's output
   * @return the running broker
   * @throws Exception if either child fails to start in time
   */
  static OldBroker start(Path dir) throws Exception {
    OldBroker broker = new OldBroker(dir);
    try {
      broker.launch();
      return broker;
    } catch (Exception | AssertionError e) {
      broker.close();
      throw e;
    }
  }

  private void launch() throws Exception {
    String classPath = Files.readString(Path.of(System.getProperty(CLASSPATH_PROPERTY))).strip();
    int zkPort = freePort();
    int kafkaPort = freePort();
    bootstrap = "127.0.0.1:" + kafkaPort;
    Path log4j = dir.resolve("log4j.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "log4j.rootLogger=WARN, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            // The start-up lines: "Kafka version: x.y.z" and "[KafkaServer id=0] started".
            "log4j.logger.kafka.server.KafkaServer=INFO",
            "log4j.logger.org.apache.kafka.common.utils.AppInfoParser=INFO",
            ""),
        StandardCharsets.UTF_8);
    Path properties = dir.resolve("server.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "broker.id=0",
            "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
            "log.dirs=" + dir.resolve("kafka-logs"),
            "zookeeper.connect=127.0.0.1:" + zkPort,
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=3",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=3",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            ""),
        StandardCharsets.UTF_8);
    List<String> jvm =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms64m",
            "-cp",
            classPath,
            "-Dlog4j.configuration=" + log4j.toUri());
    processes.add(
        start(
            jvm,
            List.of(
                "-Xmx128m",
                // ZooKeeper 3.5's admin server needs Jetty, which Kafka does not ship.
                "-Dzookeeper.admin.enableServer=false",
                "org.apache.zookeeper.server.ZooKeeperServerMain",
                String.valueOf(zkPort),
                dir.resolve("zookeeper").toString()),
            dir.resolve("zookeeper.out")));
    processes.add(
        start(
            jvm,
            List.of("-Xmx384m", "kafka.Kafka", properties.toString()),
            dir.resolve("kafka.out")));
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Awaitility.await("the old broker at " + bootstrap + " (output in " + dir + ")")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                for (Process p : processes) {
                  if (!p.isAlive()) {
                    throw new IllegalStateException("a child exited: " + output());
                  }
                }
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1;
              });
    }
  }

  /** The broker's address for clients. */
  String bootstrapServers() {
    return bootstrap;
  }

  /** What the broker wrote to its standard output so far (its start-up log). */
  String output() throws IOException {
    Path out = dir.resolve("kafka.out");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() {
    // The broker first (a controlled shutdown needs ZooKeeper), then ZooKeeper.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  private static Process start(List<String> jvm, List<String> args, Path output)
      throws IOException {
    List<String> command = new ArrayList<>(jvm);
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
