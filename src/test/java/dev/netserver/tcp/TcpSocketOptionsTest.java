package dev.netserver.tcp;

import dev.netserver.Ss;
import dev.netserver.TestClient;
import dev.netserver.TestTransports;
import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TcpSocketConfig;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The configured socket options reach the running server's real sockets, as the operating system
 * reports them: {@code ss} from iproute2 reads the kernel's socket state, and the options {@code ss} can't
 * show (TCP_NODELAY, SO_LINGER, IP_TOS) are read back with getsockopt from a connection the real listener
 * accepted ({@link ServerSideConnection}), after the server's own option filtering.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"DIRECT", "VERTX"})
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The TCP server's socket options")
class TcpSocketOptionsTest {

  @Parameter
  Engine engine;

  private int start(Vertx vertx, TcpListenerConfig config) {
    return TcpListeners.start(vertx, config.withEngine(engine));
  }

  static TcpListenerConfig echo(TcpSocketConfig socket) {
    return TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0)).withInstances(1).withSocket(socket);
  }

  private static TcpListenerConfig backlog(TcpListenerConfig c, int backlog) {
    return new TcpListenerConfig(c.name(), c.protocol(), c.binding(), c.instances(), backlog, c.idleTimeoutSeconds(),
      c.maxLineBytes(), c.texts(), c.socket());
  }

  @Test
  @DisplayName("listens with the configured backlog")
  void backlog(Vertx vertx) throws Exception {
    assumeTrue(Ss.available(), "ss (iproute2) is not installed");
    int port = start(vertx, backlog(echo(TcpSocketConfig.DEFAULT), 77));
    // For a listening socket, ss's Send-Q column is the backlog.
    assertThat(Ss.run("-ltn", "sport = :" + port)).matches("(?s)LISTEN\\s+0\\s+77\\s+(\\[::ffff:)?127\\.0\\.0\\.1]?:" + port + "\\s.*");
  }

  @Test
  @DisplayName("gives accepted sockets the configured buffer sizes and keepalive")
  void acceptedSocket(Vertx vertx) throws Exception {
    assumeTrue(Ss.available(), "ss (iproute2) is not installed");
    TcpSocketConfig options = new TcpSocketConfig(true, false, true, true, -1, 48 * 1024, 40 * 1024, -1, false, false, false);
    int port = start(vertx, echo(options));
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.send("x").read(1)).isEqualTo("x");
      String accepted = Ss.run("-tnmo", "state", "established", "( sport = :" + port + " )");
      // Linux doubles what setsockopt asked for (the extra half is its bookkeeping).
      assertThat(accepted).contains("rb" + 2 * 48 * 1024).contains("tb" + 2 * 40 * 1024).contains("timer:(keepalive");
    }
  }

  @Test
  @DisplayName("leaves keepalive off and buffers to the kernel by default")
  void defaults(Vertx vertx) throws Exception {
    assumeTrue(Ss.available(), "ss (iproute2) is not installed");
    int port = start(vertx, echo(TcpSocketConfig.DEFAULT));
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.send("x").read(1)).isEqualTo("x");
      String accepted = Ss.run("-tnmo", "state", "established", "( sport = :" + port + " )");
      assertThat(accepted).doesNotContain("keepalive");
      // A TCP socket nobody sized starts with tcp_rmem's default receive buffer, and the kernel sizes its
      // send buffer itself (between tcp_wmem's default and maximum), as it did the client's end, which
      // sets nothing. A size set with setsockopt would show doubled and fixed instead.
      long[] rmem = kernelBuffer("tcp_rmem");
      long[] wmem = kernelBuffer("tcp_wmem");
      assertThat(skmem(accepted, "rb")).as(accepted).isEqualTo(rmem[1]);
      long tb = skmem(accepted, "tb");
      assertThat(tb).as(accepted).isBetween(wmem[1], wmem[2]);
      String clientEnd = Ss.run("-tnmo", "state", "established", "( dport = :" + port + " )");
      assertThat(tb).as("the server's end %s, the client's end %s", accepted, clientEnd).isEqualTo(skmem(clientEnd, "tb"));
    }
  }

  /** min, default and max of {@code /proc/sys/net/ipv4/<name>}. */
  private static long[] kernelBuffer(String name) throws IOException {
    // read as a stream: a /proc file says its size is 0, and Files.readString then returns its first byte only
    String[] fields;
    try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4", name))) {
      fields = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
    }
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])};
  }

  /** One field of the one socket's {@code skmem:(r0,rb131072,...)} in {@code ss -m} output. */
  private static long skmem(String ss, String field) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[(,]" + field + "(\\d+)[,)]").matcher(ss);
    assertThat(m.find()).as("%s in %s", field, ss).isTrue();
    long value = Long.parseLong(m.group(1));
    assertThat(m.find()).as("one socket in %s", ss).isFalse();
    return value;
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("gives the real listener's accepted connections the configured TCP_NODELAY, keepalive, SO_LINGER and IP_TOS")
  void childOptionsOnTheRealListener(String transport) throws Exception {
    TcpSocketConfig tuned = new TcpSocketConfig(true, false, false, true, 3, -1, -1, 16, false, false, false);
    Vertx vertx = TestTransports.vertxOn(transport);
    try (ServerSideConnection real = ServerSideConnection.open(vertx, echo(tuned))) {
      ChannelConfig accepted = real.accepted().config();
      assertThat(accepted.getOption(ChannelOption.TCP_NODELAY)).isFalse();
      assertThat(accepted.getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
      assertThat(accepted.getOption(ChannelOption.SO_LINGER)).isEqualTo(3);
      assertThat(accepted.getOption(ChannelOption.IP_TOS)).isEqualTo(16);
    } finally {
      await(vertx.close());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("dev.netserver.TestTransports#all")
  @DisplayName("gives the real listener's accepted connections TCP_NODELAY and no keepalive or SO_LINGER by default")
  void defaultChildOptionsOnTheRealListener(String transport) throws Exception {
    Vertx vertx = TestTransports.vertxOn(transport);
    try (ServerSideConnection real = ServerSideConnection.open(vertx, echo(TcpSocketConfig.DEFAULT))) {
      ChannelConfig accepted = real.accepted().config();
      assertThat(accepted.getOption(ChannelOption.TCP_NODELAY)).isTrue();
      assertThat(accepted.getOption(ChannelOption.SO_KEEPALIVE)).isFalse();
      assertThat(accepted.getOption(ChannelOption.SO_LINGER)).isEqualTo(-1);
      assertThat(accepted.getOption(ChannelOption.IP_TOS)).isZero();
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("with reusePort on a native transport, lets another SO_REUSEPORT socket bind the same port; without, refuses it")
  void reusePort() throws IOException {
    assumeTrue(Transport.EPOLL != null && Transport.EPOLL.available(), "epoll is not available here");
    Vertx epoll = Vertx.builder().withTransport(Transport.EPOLL).build();
    try {
      TcpSocketConfig reuse = new TcpSocketConfig(true, true, true, false, -1, -1, -1, -1, false, false, false);
      int shared = start(epoll, echo(reuse));
      try (ServerSocketChannel other = ServerSocketChannel.open()) {
        other.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        other.bind(new InetSocketAddress("127.0.0.1", shared));
        assertThat(((InetSocketAddress) other.getLocalAddress()).getPort()).isEqualTo(shared);
      }
      int exclusive = start(epoll, echo(TcpSocketConfig.DEFAULT));
      try (ServerSocketChannel other = ServerSocketChannel.open()) {
        other.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        assertThatThrownBy(() -> other.bind(new InetSocketAddress("127.0.0.1", exclusive))).isInstanceOf(BindException.class);
      }
    } finally {
      await(epoll.close());
    }
  }
}
