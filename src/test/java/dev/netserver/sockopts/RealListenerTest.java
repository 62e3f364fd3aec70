package dev.netserver.sockopts;

import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.tcp.ServerSideConnection;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.vertx.VertxInsides;
import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.TreeMap;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("sockopts, part two, against the real server: a TCP listener's accepted socket as sockopts shows it is the one the server makes")
@Timeout(60)
class RealListenerTest {

  /** Each option unlike its default, and tcpNoDelay false, which the server once dropped. */
  private static final JsonObject CONFIG = new JsonObject("""
    { "node": { "name": "sockopts-test" }, "transport": "auto",
      "tcp": [ { "name": "tuned", "protocol": "echo", "host": "127.0.0.1", "port": 0, "backlog": 64,
                 "socket": { "receiveBufferSize": 65536, "sendBufferSize": 65536, "tcpNoDelay": false,
                             "keepAlive": true, "trafficClass": 16, "soLinger": 3 } } ],
      "udp": [] }
    """);

  /**
   * Reads back the kernel's current ACK mode, which the traffic so far changes (Linux: "not sticky"); the
   * server's connection has carried a byte each way and the probe's none, so it is not compared.
   */
  private static final String NOT_A_SETTING = "TCP_QUICKACK";

  private Vertx vertx;
  private Transport transport;
  private NetserverConfig config;
  private TcpListenerConfig listener;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    transport = VertxInsides.transport(vertx);
    config = NetserverConfig.read("test", CONFIG);
    listener = config.tcp().get(0);
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  @DisplayName("every option the report reads back on the accepted socket has that value on the server's own connection")
  void reportMatchesTheServer() throws Exception {
    try (Probes probes = new Probes(); ServerSideConnection real = ServerSideConnection.open(vertx, listener)) {
      SocketCheck accepted = new ListenerChecker(probes, transport, Map.of(transport.name(), VertxMapping.discover(transport)))
        .checkAll(config).stream().filter(check -> check.socket().equals("accepted")).findFirst().orElseThrow();
      assertThat(accepted.error()).isNull();
      assertThat(accepted.transport()).isEqualTo(transport.name());
      Map<String, NettyOptions.Observed> server = NettyOptions.snapshot(real.accepted());
      Map<String, String> reported = new TreeMap<>();
      Map<String, String> actual = new TreeMap<>();
      for (SocketCheck.Row row : accepted.rows()) {
        if (row.netty() != null && row.hasValue() && !row.netty().equals(NOT_A_SETTING)) {
          reported.put(row.netty(), NettyOptions.render(row.reported()));
          actual.put(row.netty(), server.containsKey(row.netty()) ? server.get(row.netty()).rendered() : "(none)");
        }
      }
      assertThat(reported).containsKeys("TCP_NODELAY", "SO_KEEPALIVE", "SO_RCVBUF", "SO_SNDBUF", "IP_TOS", "SO_LINGER");
      assertThat(reported).isEqualTo(actual);
      assertThat(reported.get("TCP_NODELAY")).isEqualTo("false");
    }
  }

  @Test
  @DisplayName("a probe made with the server's configure call has every option of the server's own connection")
  void probeMatchesTheServer() throws Exception {
    try (Probes probes = new Probes(); ServerSideConnection real = ServerSideConnection.open(vertx, listener)) {
      ServerBootstrap bootstrap = TcpServerVerticle.configure(VertxInsides.of(transport), new ServerBootstrap(), listener);
      Probes.TcpPair probe = probes.tcpPair(transport, bootstrap);
      assertThat(rendered(probe.accepted())).isEqualTo(rendered(real.accepted()));
    }
  }

  private static Map<String, String> rendered(io.netty.channel.Channel channel) throws Exception {
    Map<String, String> out = new TreeMap<>();
    NettyOptions.snapshot(channel).forEach((name, observed) -> out.put(name, observed.rendered()));
    out.remove(NOT_A_SETTING);
    return out;
  }
}
