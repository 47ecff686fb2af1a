package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's faults against a fake broker that answers every request frame with a response frame
 * carrying the same correlation id. No Kafka: what is tested is the proxy alone.
 */
class FaultProxyTest {
  private static final short PRODUCE = 0;
  private static final short METADATA = 3;

  private FakeBroker broker;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    broker = new FakeBroker();
    proxy = FaultProxy.start("localhost", broker.port());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    broker.close();
  }

  @Test
  void forwardsRequestsAndResponses() throws IOException {
    try (Socket client = connect()) {
      send(client, METADATA, 1);
      send(client, PRODUCE, 2);

      assertThat(readCorrelationId(client)).isEqualTo(1);
      assertThat(readCorrelationId(client)).isEqualTo(2);
    }
    assertThat(proxy.produceRequests()).isEqualTo(1);
    assertThat(proxy.droppedResponses()).isZero();
  }

  @Test
  void blackholeHoldsBytesUntilHealed() throws IOException {
    try (Socket client = connect()) {
      send(client, METADATA, 1);
      assertThat(readCorrelationId(client)).isEqualTo(1);

      proxy.blackhole();
      send(client, METADATA, 2);
      client.setSoTimeout(500);
      assertThatThrownBy(() -> readCorrelationId(client))
          .as("nothing passes a blackhole")
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(broker.requests.get()).as("the broker never saw request 2").isEqualTo(1);

      proxy.heal();
      client.setSoTimeout(30_000);
      assertThat(readCorrelationId(client)).as("held bytes arrive after the heal").isEqualTo(2);
    }
  }

  @Test
  void aConnectionOpenedDuringABlackholeReachesTheBrokerOnlyAfterTheHeal() throws IOException {
    proxy.blackhole();
    try (Socket client = connect()) {
      send(client, METADATA, 5);
      client.setSoTimeout(500);
      assertThatThrownBy(() -> readCorrelationId(client))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(broker.connections.get()).isZero();

      proxy.heal();
      client.setSoTimeout(30_000);
      assertThat(readCorrelationId(client)).isEqualTo(5);
    }
  }

  @Test
  void dropsTheResponseToAProduceRequestByClosingTheConnection() throws IOException {
    proxy.dropProduceResponses(1.0, 42);
    try (Socket client = connect()) {
      send(client, METADATA, 1);
      send(client, PRODUCE, 2);
      send(client, METADATA, 3);

      assertThat(readCorrelationId(client)).as("the response before is forwarded").isEqualTo(1);
      assertThatThrownBy(() -> readCorrelationId(client))
          .as("the produce response is not, and the connection is closed")
          .isInstanceOf(IOException.class);
    }
    Awaitility.await("the broker got the produce request")
        .atMost(Duration.ofSeconds(30))
        .until(() -> broker.requests.get() >= 2);
    assertThat(proxy.droppedResponses()).isEqualTo(1);
    assertThat(proxy.produceRequests()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void dropsASeededShareOfProduceResponses() throws IOException {
    proxy.dropProduceResponses(0.5, 7);
    int answered = 0;
    int requests = 40;
    for (int i = 0; i < requests; i++) {
      try (Socket client = connect()) {
        send(client, PRODUCE, i);
        readCorrelationId(client);
        answered++;
      } catch (IOException dropped) {
        // Expected for about half of them.
      }
    }
    assertThat(proxy.droppedResponses()).isEqualTo(requests - answered);
    assertThat(answered).isBetween(5, 35);
  }

  @Test
  void healStopsDroppingResponses() throws IOException {
    proxy.dropProduceResponses(1.0, 1);
    proxy.heal();
    try (Socket client = connect()) {
      send(client, PRODUCE, 1);
      assertThat(readCorrelationId(client)).isEqualTo(1);
    }
  }

  @Test
  void resetClosesEveryOpenConnection() throws IOException {
    try (Socket client = connect()) {
      send(client, METADATA, 1);
      assertThat(readCorrelationId(client)).isEqualTo(1);
      assertThat(proxy.openConnections()).isEqualTo(1);

      proxy.resetConnections();

      assertThatThrownBy(() -> readCorrelationId(client)).isInstanceOf(IOException.class);
      assertThat(proxy.openConnections()).isZero();
    }
    try (Socket again = connect()) {
      send(again, METADATA, 2);
      assertThat(readCorrelationId(again)).as("new connections still work").isEqualTo(2);
    }
  }

  @Test
  void latencyHoldsEveryChunk() throws IOException {
    proxy.latency(Duration.ofMillis(300));
    try (Socket client = connect()) {
      long start = System.nanoTime();
      send(client, METADATA, 1);
      assertThat(readCorrelationId(client)).isEqualTo(1);
      // A lower bound only: a loaded machine can make it slower, never faster.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
  }

  @Test
  void aDeadBrokerLooksLikeAClosedConnection() throws IOException {
    // The dead broker's port stays bound without listening, so a connection to it is refused. A
    // port merely closed can be taken meanwhile: once (2026-12-07) the proxy's connection to the
    // closed fake broker's port succeeded, to another listener or to itself, and the client's read
    // timed out after 30 s.
    try (Socket deadBroker = new Socket()) {
      deadBroker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (FaultProxy toDeadBroker =
              FaultProxy.start(
                  InetAddress.getLoopbackAddress().getHostAddress(), deadBroker.getLocalPort());
          Socket client = connect(toDeadBroker)) {
        assertThat(client.getInputStream().read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void rejectsAnInvalidFraction() {
    assertThatThrownBy(() -> proxy.dropProduceResponses(1.5, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Socket connect() throws IOException {
    return connect(proxy);
  }

  private static Socket connect(FaultProxy through) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), through.port()), 10_000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static void send(Socket socket, short apiKey, int correlationId) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(KafkaFrameScannerTest.request(apiKey, correlationId, 50));
    out.flush();
  }

  private static int readCorrelationId(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int size = in.readInt();
    int correlationId = in.readInt();
    in.readFully(new byte[size - 4]);
    return correlationId;
  }

  /** Answers each request frame with a 20-byte response frame of the same correlation id. */
  private static final class FakeBroker implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    FakeBroker() throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread handler = new Thread(() -> serve(socket), "fake-broker-connection");
                    handler.setDaemon(true);
                    handler.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "fake-broker");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve(Socket socket) {
      try (socket) {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        while (true) {
          int size = in.readInt();
          byte[] body = new byte[size];
          in.readFully(body);
          requests.incrementAndGet();
          out.write(KafkaFrameScannerTest.response(ByteBuffer.wrap(body).getInt(4), 16));
          out.flush();
        }
      } catch (EOFException e) {
        // The proxy closed the connection.
      } catch (IOException e) {
        // Reset by the proxy.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
