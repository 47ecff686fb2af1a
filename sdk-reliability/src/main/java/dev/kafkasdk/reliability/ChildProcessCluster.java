package dev.kafkasdk.reliability;

import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.KafkaCluster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster whose nodes are separate JVM processes, for faults the in-JVM cluster cannot
 * produce: a real {@code kill -9} and a {@code SIGSTOP} pause (a long GC pause as the rest of the
 * cluster sees it). Every node is a combined broker and controller.
 *
 * <p>Started with {@link #startBehindProxies(int)}, clients reach every node through a {@link
 * FaultProxy}: each node has a separate client listener that advertises the proxy's port, while
 * inter-broker and controller traffic (and this class's own admin calls) bypass the proxies.
 */
public final class ChildProcessCluster implements KafkaCluster {
  private static final Logger log = LoggerFactory.getLogger(ChildProcessCluster.class);
  private static final Duration STARTUP = Duration.ofSeconds(120);

  /**
   * The JIT option of every child JVM of the suite (nodes, storage formatting, runners, copiers):
   * the client compiler only. These JVMs live seconds to minutes and are restarted after every
   * kill; on a loaded 2-core machine a node registered in about half the time without the
   * optimizing compiler's threads competing for the CPU (single node: 6-11 s instead of 11-18 s).
   */
  static final String CLIENT_COMPILER_ONLY = "-XX:TieredStopAtLevel=1";

  private final Path directory;
  private final Map<Integer, Node> nodes = new LinkedHashMap<>();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private boolean closed;

  /** One node: its ports, properties file and the running process, if any. */
  private static final class Node {
    final int id;
    final int brokerPort;
    final Path properties;
    final Path logFile;
    final FaultProxy proxy;
    Process process;

    Node(int id, int brokerPort, Path properties, Path logFile, FaultProxy proxy) {
      this.id = id;
      this.brokerPort = brokerPort;
      this.properties = properties;
      this.logFile = logFile;
      this.proxy = proxy;
    }
  }

  private ChildProcessCluster(Path directory) {
    this.directory = directory;
  }

  /**
   * Formats and starts a cluster of {@code size} nodes and waits until every broker is registered.
   *
   * @param size number of nodes, 1 to 5
   * @return the running cluster; close it to kill the processes and delete the data
   * @throws IllegalStateException if the cluster does not start within two minutes
   */
  public static ChildProcessCluster start(int size) {
    return start(size, false);
  }

  private static ChildProcessCluster start(int size, boolean behindProxies) {
    if (size < 1 || size > 5) {
      throw new IllegalArgumentException("size must be between 1 and 5, was " + size);
    }
    try {
      ChildProcessCluster cluster =
          new ChildProcessCluster(Files.createTempDirectory("kafka-sdk-processes"));
      cluster.configure(size, behindProxies);
      cluster.nodes.values().forEach(cluster::launch);
      cluster.awaitBrokers(cluster.nodes.keySet());
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void configure(int size, boolean behindProxies) throws IOException {
    int[] brokerPorts = freePorts(size);
    int[] clientPorts = behindProxies ? freePorts(size) : null;
    int[] controllerPorts = freePorts(size);
    String voters =
        Stream.iterate(0, i -> i + 1)
            .limit(size)
            .map(i -> (i + 1) + "@localhost:" + controllerPorts[i])
            .collect(Collectors.joining(","));
    String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    String replicas = Integer.toString(Math.min(3, size));
    // The nodes' storage is formatted by child JVMs that run at the same time: one after another,
    // their start-up alone added seconds to every cluster start.
    List<Formatting> formats = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int id = i + 1;
      Path data = directory.resolve("node-" + id);
      Map<String, String> config = new LinkedHashMap<>();
      config.put("process.roles", "broker,controller");
      config.put("node.id", Integer.toString(id));
      config.put("controller.quorum.voters", voters);
      config.put(
          "listeners",
          "PLAINTEXT://localhost:"
              + brokerPorts[i]
              + ",CONTROLLER://localhost:"
              + controllerPorts[i]);
      config.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPorts[i]);
      config.put("controller.listener.names", "CONTROLLER");
      config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      FaultProxy proxy = null;
      if (behindProxies) {
        proxy = FaultProxy.start("localhost", clientPorts[i]);
        proxies.add(proxy);
        addClientListener(config, clientPorts[i], proxy.port());
      }
      config.put("inter.broker.listener.name", "PLAINTEXT");
      config.put("log.dirs", data.toString());
      config.put("offsets.topic.replication.factor", replicas);
      config.put("offsets.topic.num.partitions", "3");
      config.put("transaction.state.log.replication.factor", replicas);
      config.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, size)));
      config.put("transaction.state.log.num.partitions", "3");
      config.put("default.replication.factor", replicas);
      config.put("group.initial.rebalance.delay.ms", "0");
      config.put("unclean.leader.election.enable", "false");
      // Fence a dead broker quickly; the defaults make every fault test wait tens of seconds.
      config.put("broker.session.timeout.ms", "4000");
      config.put("broker.heartbeat.interval.ms", "500");
      // Share groups (KIP-932): the share-group state topic sized like the other internal topics,
      // and bounds that let a scenario set short record locks and session timeouts on its group.
      // With the defaults (15 s minimum lock, 45 s minimum session) every killed share consumer
      // would hold its records and partitions for most of a minute.
      config.put("share.coordinator.state.topic.replication.factor", replicas);
      config.put("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, size)));
      config.put("share.coordinator.state.topic.num.partitions", "3");
      config.put("group.share.min.record.lock.duration.ms", "1000");
      config.put("group.share.min.session.timeout.ms", "1000");
      config.put("group.share.min.heartbeat.interval.ms", "500");
      Path properties = directory.resolve("node-" + id + ".properties");
      Files.writeString(
          properties,
          config.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("\n"))
              + "\n");
      formats.add(
          start(
              List.of(
                  "kafka.tools.StorageTool",
                  "format",
                  "-t",
                  clusterId,
                  "-c",
                  properties.toString(),
                  "--ignore-formatted"),
              directory.resolve("node-" + id + "-format.log")));
      nodes.put(
          id,
          new Node(
              id, brokerPorts[i], properties, directory.resolve("node-" + id + ".log"), proxy));
    }
    for (Formatting format : formats) {
      format.await();
    }
  }

  private void launch(Node node) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
              command(
                  List.of("-Xmx256m", "-XX:+UseSerialGC", CLIENT_COMPILER_ONLY),
                  "kafka.Kafka",
                  node.properties.toString()));
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile.toFile()));
      node.process = builder.start();
      log.info("node {} started as pid {}", node.id, node.process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> command(List<String> jvmOptions, String main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(List.of(args));
    return command;
  }

  private static Formatting start(List<String> mainAndArgs, Path logFile) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            command(
                List.of("-Xmx128m", CLIENT_COMPILER_ONLY),
                mainAndArgs.get(0),
                mainAndArgs.subList(1, mainAndArgs.size()).toArray(String[]::new)));
    builder.redirectErrorStream(true);
    builder.redirectOutput(logFile.toFile());
    return new Formatting(builder.start(), mainAndArgs, logFile);
  }

  /** A running storage format command, which must exit with 0 within a minute. */
  private record Formatting(Process process, List<String> mainAndArgs, Path logFile) {
    void await() throws IOException {
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "command failed: " + mainAndArgs + "\n" + Files.readString(logFile));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    return ports;
  }

  private Admin admin() {
    return admin(directBootstrapServers());
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
  }

  /**
   * Waits until every node of {@code ids} answers on its own port and sees itself as a live broker.
   * Registration seen through the other nodes alone is not enough: a node killed a moment ago stays
   * registered until its broker session times out, so a restart would seem done before the new
   * process even listens.
   */
  private void awaitBrokers(Set<Integer> ids) {
    try (Admin admin = admin()) {
      awaitStartup(
          "brokers " + ids + " registered",
          () ->
              admin.describeCluster().nodes().get().stream()
                  .map(org.apache.kafka.common.Node::id)
                  .collect(Collectors.toSet())
                  .containsAll(ids));
    }
    for (int id : ids) {
      String own = "localhost:" + node(id).brokerPort;
      try (Admin admin = admin(own)) {
        awaitStartup(
            "broker " + id + " serving on " + own,
            () ->
                admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                    .nodes()
                    .get()
                    .stream()
                    .anyMatch(n -> n.id() == id));
      }
    }
  }

  private static void awaitStartup(String what, Callable<Boolean> condition) {
    Awaitility.await(what)
        .atMost(STARTUP)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(condition);
  }

  /**
   * Returns the bootstrap servers for clients under test: the proxies' addresses when the cluster
   * was started {@linkplain #startBehindProxies(int) behind proxies}, else the brokers' own.
   */
  @Override
  public String bootstrapServers() {
    if (!proxies.isEmpty()) {
      return proxies.stream().map(FaultProxy::address).collect(Collectors.joining(","));
    }
    return directBootstrapServers();
  }

  @Override
  public Backend backend() {
    return Backend.EMBEDDED;
  }

  @Override
  public Set<Integer> brokerIds() {
    return Collections.unmodifiableSet(new TreeSet<>(nodes.keySet()));
  }

  @Override
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(name, partitions, (short) replicationFactor).configs(configs)))
          .all()
          .get(60, TimeUnit.SECONDS);
      Awaitility.await("leaders of " + name)
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .ignoreExceptions()
          .until(
              () ->
                  admin
                      .describeTopics(List.of(name))
                      .allTopicNames()
                      .get()
                      .get(name)
                      .partitions()
                      .stream()
                      .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + name, e);
    }
  }

  /** Graceful stop (SIGTERM: controlled shutdown). */
  @Override
  public synchronized void stopBroker(int brokerId) {
    Node node = node(brokerId);
    if (node.process != null && node.process.isAlive()) {
      node.process.destroy();
      await(node.process);
    }
    node.process = null;
  }

  /**
   * Kills a node with {@code SIGKILL}: no controlled shutdown, no flush, as in a power loss of the
   * process.
   *
   * @param brokerId the node
   */
  public synchronized void killBroker(int brokerId) {
    Node node = node(brokerId);
    if (node.process != null && node.process.isAlive()) {
      node.process.destroyForcibly();
      await(node.process);
      log.info("node {} killed", brokerId);
    }
    node.process = null;
  }

  /**
   * Freezes a node with {@code SIGSTOP}; the rest of the cluster sees a long pause.
   *
   * @param brokerId the node
   */
  public synchronized void pauseBroker(int brokerId) {
    signal(node(brokerId), "STOP");
  }

  /**
   * Thaws a node frozen by {@link #pauseBroker(int)}.
   *
   * @param brokerId the node
   */
  public synchronized void resumeBroker(int brokerId) {
    signal(node(brokerId), "CONT");
  }

  private static void signal(Node node, String signal) {
    if (node.process == null || !node.process.isAlive()) {
      throw new IllegalStateException("node " + node.id + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " failed for node " + node.id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public synchronized void startBroker(int brokerId) {
    Node node = node(brokerId);
    if (node.process != null && node.process.isAlive()) {
      return;
    }
    launch(node);
    awaitBrokers(Set.of(brokerId));
  }

  @Override
  public boolean supportsBrokerControl() {
    return true;
  }

  private Node node(int brokerId) {
    Node node = nodes.get(brokerId);
    if (node == null) {
      throw new IllegalArgumentException("no node " + brokerId + "; nodes are " + nodes.keySet());
    }
    return node;
  }

  private static void await(Process process) {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Tells whether a node's broker port accepts connections (true also while it is paused).
   *
   * @param brokerId the node
   * @return whether the port is open
   */
  public boolean isListening(int brokerId) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", node(brokerId).brokerPort), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Brings every node back: heals every proxy, thaws frozen nodes and starts stopped or killed
   * ones, then waits until all are registered. For a cluster shared by several test classes, so
   * that a class that failed half-way through a fault does not leave the next one a broken cluster.
   *
   * @throws IllegalStateException if the nodes do not all register within two minutes
   */
  public synchronized void restoreAll() {
    proxies.forEach(FaultProxy::heal);
    for (Node node : nodes.values()) {
      if (node.process != null && node.process.isAlive()) {
        signal(node, "CONT");
      }
    }
    startBrokers(nodes.keySet());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    proxies.forEach(FaultProxy::close);
    for (Node node : nodes.values()) {
      if (node.process != null) {
        if (node.process.isAlive()) {
          try {
            signal(node, "CONT");
          } catch (RuntimeException e) {
            // Best effort: a frozen process must be thawed before it can die cleanly.
          }
        }
        node.process.destroyForcibly();
        await(node.process);
      }
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", directory, e.toString());
    }
  }

  // ---- Clients behind fault proxies (network faults: F7, F8, F23) ----

  /**
   * Formats and starts a cluster like {@link #start(int)}, but clients reach each node through its
   * own {@link FaultProxy}. Every node gets a second listener for clients ({@code CLIENT}) that
   * advertises the proxy's port, so clients that follow the cluster metadata stay behind the proxy;
   * replication, the controller quorum and this class's admin calls use the {@code PLAINTEXT} and
   * {@code CONTROLLER} listeners directly. {@link #bootstrapServers()} returns the proxies.
   *
   * <pre>{@code
   * try (ChildProcessCluster cluster = ChildProcessCluster.startBehindProxies(3)) {
   *   cluster.proxy(1).blackhole(); // clients lose node 1; replication goes on
   * }
   * }</pre>
   *
   * @param size number of nodes, 1 to 5
   * @return the running cluster; close it to stop the proxies, kill the processes and delete data
   * @throws IllegalStateException if the cluster does not start within two minutes
   */
  public static ChildProcessCluster startBehindProxies(int size) {
    return start(size, true);
  }

  private static void addClientListener(Map<String, String> config, int clientPort, int proxyPort) {
    config.put("listeners", config.get("listeners") + ",CLIENT://localhost:" + clientPort);
    config.put(
        "advertised.listeners",
        config.get("advertised.listeners") + ",CLIENT://localhost:" + proxyPort);
    config.put(
        "listener.security.protocol.map",
        config.get("listener.security.protocol.map") + ",CLIENT:PLAINTEXT");
  }

  /**
   * Returns the proxy in front of a node.
   *
   * @param brokerId the node
   * @return its proxy
   * @throws IllegalStateException if the cluster was not started behind proxies
   */
  public FaultProxy proxy(int brokerId) {
    FaultProxy proxy = node(brokerId).proxy;
    if (proxy == null) {
      throw new IllegalStateException("the cluster was not started behind proxies");
    }
    return proxy;
  }

  /**
   * Returns the brokers' own addresses, which no proxy fault touches.
   *
   * @return a comma-separated host:port list of the inter-broker listeners
   */
  public String directBootstrapServers() {
    return nodes.values().stream()
        .map(n -> "localhost:" + n.brokerPort)
        .collect(Collectors.joining(","));
  }

  /**
   * Returns a view of this cluster whose {@link KafkaCluster#bootstrapServers()} are the
   * {@linkplain #directBootstrapServers() direct addresses}: for the observers and final drains of
   * a test, which must not be cut off by the faults they observe. Other calls go to this cluster.
   *
   * @return the view; closing it does nothing
   */
  public KafkaCluster direct() {
    ChildProcessCluster cluster = this;
    return new KafkaCluster() {
      @Override
      public String bootstrapServers() {
        return cluster.directBootstrapServers();
      }

      @Override
      public Backend backend() {
        return cluster.backend();
      }

      @Override
      public Set<Integer> brokerIds() {
        return cluster.brokerIds();
      }

      @Override
      public void createTopic(
          String name, int partitions, int replicationFactor, Map<String, String> configs) {
        cluster.createTopic(name, partitions, replicationFactor, configs);
      }

      @Override
      public void stopBroker(int brokerId) {
        cluster.stopBroker(brokerId);
      }

      @Override
      public void startBroker(int brokerId) {
        cluster.startBroker(brokerId);
      }

      @Override
      public boolean supportsBrokerControl() {
        return true;
      }

      @Override
      public void close() {
        // A view: the cluster is closed by its owner.
      }
    };
  }

  /**
   * Starts several stopped or killed nodes together and waits until all are registered. Needed when
   * a majority of the controller quorum is down: no single node can register before the others are
   * back, so {@link #startBroker(int)} one by one would wait in vain.
   *
   * @param brokerIds the nodes
   * @throws IllegalStateException if they do not all register within two minutes
   */
  public synchronized void startBrokers(Set<Integer> brokerIds) {
    for (int id : brokerIds) {
      Node node = node(id);
      if (node.process == null || !node.process.isAlive()) {
        launch(node);
      }
    }
    awaitBrokers(brokerIds);
  }
}
