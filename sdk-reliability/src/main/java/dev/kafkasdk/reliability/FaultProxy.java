package dev.kafkasdk.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy between Kafka clients and one broker that injects network faults on command, the
 * in-JVM stand-in for Jepsen's iptables and Toxiproxy:
 *
 * <ul>
 *   <li>{@link #blackhole()}: connections stay open (new ones are accepted) but no byte moves in
 *       either direction, like a network partition with packets dropped. Bytes held back are
 *       delivered after {@link #heal()}, as TCP retransmission would deliver them, unless a side
 *       has given up and closed its connection meanwhile.
 *   <li>{@link #resetConnections()}: every open connection is reset (TCP RST on both sides).
 *   <li>{@link #latency(Duration)}: every chunk of bytes is held for the given time in each
 *       direction.
 *   <li>{@link #dropProduceResponses(double, long)}: a seeded share of Produce requests (api key 0)
 *       reaches the broker, but when the broker's response arrives the proxy closes the connection
 *       instead of forwarding it. The write happened; the client cannot know, and retries. This is
 *       the fault that turns a non-idempotent producer's retries into duplicates.
 * </ul>
 *
 * <p>Clients reconnect to the addresses in the cluster metadata, so the broker must advertise the
 * proxy's port for the client listener; {@link ChildProcessCluster#startBehindProxies(int)} does
 * that. The proxy is thread-safe; faults may be switched from any thread. Each connection uses two
 * daemon threads.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("localhost", brokerPort)) {
 *   // advertise proxy.port() for the client listener, point clients at proxy.address()
 *   proxy.blackhole();
 *   // ... clients time out ...
 *   proxy.heal();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
  private static final int BUFFER = 64 * 1024;
  private static final short PRODUCE = 0;

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong produceRequests = new AtomicLong();
  private final AtomicLong droppedResponses = new AtomicLong();
  private volatile boolean blackholed;
  private volatile long latencyNanos;
  private volatile double dropFraction;
  private Random dropRandom = new Random(0);
  private volatile boolean closed;

  private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
    this.server = server;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /**
   * Starts a proxy on a free local port.
   *
   * @param targetHost the broker's host
   * @param targetPort the broker's port
   * @return the running proxy, passing everything through
   * @throws UncheckedIOException if no port can be bound
   */
  public static FaultProxy start(String targetHost, int targetPort) {
    Objects.requireNonNull(targetHost, "targetHost");
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      FaultProxy proxy = new FaultProxy(server, targetHost, targetPort);
      Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-" + proxy.port());
      acceptor.setDaemon(true);
      acceptor.start();
      log.info("fault proxy on port {} forwards to {}:{}", proxy.port(), targetHost, targetPort);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the port clients connect to.
   *
   * @return the local port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Returns the address clients connect to.
   *
   * @return {@code localhost:<port>}
   */
  public String address() {
    return "localhost:" + port();
  }

  /** Stops moving bytes in both directions on every connection, old and new, until healed. */
  public void blackhole() {
    blackholed = true;
    log.info("fault proxy {}: blackhole", port());
  }

  /** Ends every fault: no blackhole, no latency, no dropped responses. Open connections stay. */
  public void heal() {
    synchronized (gate) {
      blackholed = false;
      latencyNanos = 0;
      dropFraction = 0;
      gate.notifyAll();
    }
    log.info("fault proxy {}: healed", port());
  }

  /**
   * Tells whether the proxy is blackholed.
   *
   * @return true between {@link #blackhole()} and {@link #heal()}
   */
  public boolean isBlackholed() {
    return blackholed;
  }

  /**
   * Holds every chunk of bytes for a while before forwarding it, in both directions.
   *
   * @param latency zero or positive; zero turns latency off
   * @throws IllegalArgumentException if negative
   */
  public void latency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
    latencyNanos = latency.toNanos();
    log.info("fault proxy {}: latency {}", port(), latency);
  }

  /**
   * Drops the broker's responses to a share of Produce requests by closing the connection when such
   * a response arrives. Which requests are hit is drawn from the seed, in the order the proxy sees
   * them.
   *
   * @param fraction between 0 (off) and 1 (every Produce request)
   * @param seed the seed of the draw
   * @throws IllegalArgumentException if the fraction is out of range
   */
  public void dropProduceResponses(double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be between 0 and 1, was " + fraction);
    }
    synchronized (gate) {
      dropRandom = new Random(seed);
      dropFraction = fraction;
    }
    log.info("fault proxy {}: dropping {} of produce responses", port(), fraction);
  }

  /** Resets every open connection (TCP RST to both the client and the broker). */
  public void resetConnections() {
    int count = 0;
    for (Connection connection : connections) {
      connection.close(true);
      count++;
    }
    log.info("fault proxy {}: reset {} connections", port(), count);
  }

  /**
   * Returns how many client connections the proxy has accepted so far.
   *
   * @return the count
   */
  public long acceptedConnections() {
    return accepted.get();
  }

  /**
   * Returns how many connections are open now.
   *
   * @return the count
   */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Returns how many Produce requests the proxy has forwarded.
   *
   * @return the count
   */
  public long produceRequests() {
    return produceRequests.get();
  }

  /**
   * Returns how many Produce responses the proxy has dropped.
   *
   * @return the count
   */
  public long droppedResponses() {
    return droppedResponses.get();
  }

  /** Stops accepting and closes every connection. Idempotent. */
  @Override
  public void close() {
    synchronized (gate) {
      if (closed) {
        return;
      }
      closed = true;
      gate.notifyAll();
    }
    try {
      server.close();
    } catch (IOException e) {
      log.debug("fault proxy {}: closing the server socket failed", port(), e);
    }
    connections.forEach(c -> c.close(false));
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("fault proxy {}: accept failed", port(), e);
        }
        return;
      }
      Connection connection = new Connection(client, accepted.incrementAndGet());
      connections.add(connection);
      Thread upstream =
          new Thread(connection::runClientToBroker, "fault-proxy-" + port() + "-" + connection.id);
      upstream.setDaemon(true);
      upstream.start();
    }
  }

  /** Blocks while blackholed; returns false if the proxy or the connection closed meanwhile. */
  private boolean awaitPassable(Connection connection) {
    synchronized (gate) {
      while (blackholed && !closed && !connection.closed) {
        try {
          // Bounded wait: a connection closed by its other pump does not notify the gate.
          gate.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closed && !connection.closed;
    }
  }

  private void delay() throws InterruptedException {
    long nanos = latencyNanos;
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos); // the injected latency itself
    }
  }

  private boolean drawDrop() {
    synchronized (gate) {
      return dropFraction > 0 && dropRandom.nextDouble() < dropFraction;
    }
  }

  /** One client connection and its connection to the broker. */
  private final class Connection {
    final long id;
    final Socket client;
    final Set<Integer> doomedCorrelationIds = ConcurrentHashMap.newKeySet();
    volatile Socket broker;
    volatile boolean closed;

    Connection(Socket client, long id) {
      this.client = client;
      this.id = id;
    }

    void runClientToBroker() {
      try {
        // A connection opened during a blackhole reaches the broker only after the heal.
        if (!awaitPassable(this)) {
          return;
        }
        Socket socket = new Socket();
        try {
          socket.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
        } catch (IOException e) {
          socket.close();
          return; // Broker down: the client sees its connection closed, as with a dead broker.
        }
        socket.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        broker = socket;
        if (this.closed) {
          return;
        }
        Thread downstream =
            new Thread(
                () ->
                    pump(
                        socket,
                        client,
                        new KafkaFrameScanner(KafkaFrameScanner.RESPONSE_HEADER),
                        this::onResponse),
                "fault-proxy-" + port() + "-" + id + "-responses");
        downstream.setDaemon(true);
        downstream.start();
        pump(
            client,
            socket,
            new KafkaFrameScanner(KafkaFrameScanner.REQUEST_HEADER),
            this::onRequest);
      } catch (IOException e) {
        log.debug("fault proxy {}: connection {} failed", port(), id, e);
      } finally {
        close(false);
      }
    }

    private boolean onRequest(ByteBuffer header, int size) {
      if (header.remaining() >= KafkaFrameScanner.REQUEST_HEADER && header.getShort(0) == PRODUCE) {
        produceRequests.incrementAndGet();
        if (drawDrop()) {
          // Registered before the request is forwarded, so before the broker can answer it.
          doomedCorrelationIds.add(header.getInt(4));
        }
      }
      return false;
    }

    private boolean onResponse(ByteBuffer header, int size) {
      if (header.remaining() >= KafkaFrameScanner.RESPONSE_HEADER
          && doomedCorrelationIds.remove(header.getInt(0))) {
        droppedResponses.incrementAndGet();
        return true;
      }
      return false;
    }

    /** Copies bytes from one socket to the other, applying the faults, until either side ends. */
    private void pump(
        Socket from, Socket to, KafkaFrameScanner scanner, KafkaFrameScanner.Visitor visitor) {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          int read = in.read(buffer);
          if (read < 0) {
            return;
          }
          if (!awaitPassable(this)) {
            return;
          }
          delay();
          int cut;
          try {
            cut = scanner.scan(buffer, 0, read, visitor);
          } catch (IllegalStateException notKafka) {
            log.warn(
                "fault proxy {}: {}; closing connection {}", port(), notKafka.getMessage(), id);
            return;
          }
          if (cut >= 0) {
            out.write(buffer, 0, cut);
            out.flush();
            return; // The finally block closes both sides: the response is lost.
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (SocketException e) {
        // The other side closed or was reset: normal for a proxy.
      } catch (IOException e) {
        log.debug("fault proxy {}: connection {} ended", port(), id, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close(false);
      }
    }

    void close(boolean reset) {
      closed = true;
      connections.remove(this);
      closeSocket(client, reset);
      Socket socket = broker;
      if (socket != null) {
        closeSocket(socket, reset);
      }
    }

    private void closeSocket(Socket socket, boolean reset) {
      try {
        if (reset && !socket.isClosed()) {
          socket.setSoLinger(true, 0);
        }
        socket.close();
      } catch (IOException e) {
        log.debug("fault proxy {}: closing a socket of connection {} failed", port(), id, e);
      }
    }
  }
}
