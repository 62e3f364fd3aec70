package dev.netserver.sockopts;

import dev.netserver.config.TransportChoice;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.netserver.sockopts.CommandRun.row;
import static dev.netserver.sockopts.CommandRun.socket;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("sockopts, part two: each configured option as asked and as the system reports it back")
@Timeout(60)
class ListenerCheckTest {

  private static final String TUNED = """
    { "transport": "auto",
      "tcp": [ { "name": "tuned", "protocol": "echo", "host": "0.0.0.0", "port": 51423, "backlog": 64,
                 "socket": { "receiveBufferSize": 65536, "tcpNoDelay": false, "trafficClass": 16, "keepAlive": true } } ],
      "udp": [ { "name": "dgram", "protocol": "echo", "host": "0.0.0.0", "port": 51423,
                 "socket": { "receiveBufferSize": 65536, "broadcast": true, "trafficClass": 16 } } ] }
    """;

  @TempDir
  static Path dir;

  private static JsonObject report;
  private static String transport;

  @BeforeAll
  static void runOnce() throws IOException {
    Path conf = Files.writeString(dir.resolve("tuned.json"), TUNED);
    CommandRun run = CommandRun.of("-conf", conf.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    report = run.json();
    transport = TransportChoices.resolve(TransportChoice.AUTO).transport().name();
  }

  @Test
  @DisplayName("a receiveBufferSize of 65536 reads back at least as large: Linux keeps twice the size asked")
  void receiveBufferSize() throws IOException {
    JsonObject rcvbuf = row(socket(report, "tuned", "accepted"), "tcp[0].socket.receiveBufferSize", "SO_RCVBUF");
    assertThat(rcvbuf.getInteger("config")).isEqualTo(65536);
    assertThat(rcvbuf.getInteger("asked")).isEqualTo(65536);
    assertThat(rcvbuf.getInteger("reported")).isGreaterThanOrEqualTo(65536);
    Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
    if (Files.isReadable(rmemMax) && Long.parseLong(Files.readString(rmemMax).strip()) >= 65536) {
      // within the limits Linux keeps exactly double; the JDK (NIO) halves what it reports
      assertThat(rcvbuf.getInteger("reported")).isEqualTo(transport.equals("nio") ? 65536 : 131072);
      assertThat(rcvbuf.getString("note")).contains("doubled by Linux");
    }
  }

  @Test
  @DisplayName("tcpNoDelay false reads back false on the accepted socket, and keepAlive true as true")
  void tcpNoDelayAndKeepAlive() {
    JsonObject accepted = socket(report, "tuned", "accepted");
    JsonObject nodelay = row(accepted, "tcp[0].socket.tcpNoDelay", "TCP_NODELAY");
    assertThat(nodelay.getBoolean("asked")).isFalse();
    assertThat(nodelay.getBoolean("reported")).isFalse();
    assertThat(nodelay.getString("note")).isEmpty();
    assertThat(row(accepted, "tcp[0].socket.keepAlive", "SO_KEEPALIVE").getBoolean("reported")).isTrue();
  }

  @Test
  @DisplayName("trafficClass 16 reads back as IP_TOS 16, on TCP and on UDP")
  void trafficClass() {
    JsonObject tcp = row(socket(report, "tuned", "accepted"), "tcp[0].socket.trafficClass", "IP_TOS");
    assertThat(tcp.getString("option")).isEqualTo("IP_TOS");
    assertThat(tcp.getInteger("asked")).isEqualTo(16);
    assertThat(tcp.getInteger("reported")).isEqualTo(16);
    assertThat(row(socket(report, "dgram", "udp"), "udp[0].socket.trafficClass", "IP_TOS").getInteger("reported")).isEqualTo(16);
  }

  @Test
  @DisplayName("the backlog belongs to the listening socket and is Netty's copy of the listen() argument")
  void backlog() {
    JsonObject backlog = row(socket(report, "tuned", "listener"), "tcp[0].backlog", "SO_BACKLOG");
    assertThat(backlog.getString("option")).isEqualTo("listen() backlog");
    assertThat(backlog.getInteger("asked")).isEqualTo(64);
    assertThat(backlog.getInteger("reported")).isEqualTo(64);
    assertThat(backlog.getString("note")).contains("kernel does not report it");
  }

  @Test
  @DisplayName("UDP options go through Vert.x's datagram configure: broadcast on, buffer at least as asked")
  void udpOptions() {
    JsonObject udp = socket(report, "dgram", "udp");
    assertThat(udp.getString("transport")).isEqualTo(transport);
    assertThat(row(udp, "udp[0].socket.broadcast", "SO_BROADCAST").getBoolean("reported")).isTrue();
    assertThat(row(udp, "udp[0].socket.receiveBufferSize", "SO_RCVBUF").getInteger("reported")).isGreaterThanOrEqualTo(65536);
    assertThat(row(udp, "udp[0].socket.sendBufferSize", "SO_SNDBUF").getValue("asked")).isNull();
    assertThat(row(udp, "udp[0].socket.sendBufferSize", "SO_SNDBUF").getString("note")).contains("system's default");
  }

  @Test
  @DisplayName("the report names where the real listener binds, but probes loopback port 0 on the configured transport")
  void probesLoopbackOnTheConfiguredTransport() {
    JsonObject listener = socket(report, "tuned", "listener");
    assertThat(listener.getString("configured")).isEqualTo("0.0.0.0:51423");
    assertThat(listener.getString("kind")).isEqualTo("tcp");
    assertThat(listener.getString("transport")).isEqualTo(transport);
    assertThat(report.getJsonObject("config").getString("checkedOn")).isEqualTo(transport);
    assertThat(report.getJsonObject("config").getString("probeAddress")).isEqualTo("127.0.0.1:0");
  }

  @Test
  @DisplayName("on NIO, the keys only native transports apply are reported as ignored")
  void nioIgnoresNativeOnlyKeys() throws IOException {
    Path conf = Files.writeString(dir.resolve("nio.json"),
      "{ \"transport\": \"nio\", \"tcp\": [ { \"name\": \"plain\", \"protocol\": \"echo\", \"port\": 0 } ], \"udp\": [] }");
    CommandRun run = CommandRun.of("-conf", conf.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonObject accepted = socket(run.json(), "plain", "accepted");
    assertThat(accepted.getString("transport")).isEqualTo("nio");
    JsonObject cork = CommandRun.objects(accepted.getJsonArray("options"))
      .filter(o -> "tcp[0].socket.tcpCork".equals(o.getString("key"))).findFirst().orElseThrow();
    assertThat(cork.getValue("netty")).isNull();
    assertThat(cork.getString("note")).startsWith("ignored on nio");
  }

  @Test
  @DisplayName("a native transport the configuration names but this machine lacks is reported, and NIO checked instead")
  void unavailableTransportFallsBackToNio() {
    Transport ioUring = Transport.IO_URING;
    org.junit.jupiter.api.Assumptions.assumeTrue(ioUring == null || !ioUring.available(), "io_uring loads here");
    TransportChoices.Resolved resolved = TransportChoices.resolve(TransportChoice.IO_URING);
    assertThat(resolved.transport().name()).isEqualTo("nio");
    assertThat(resolved.note()).contains("io_uring").contains("not available");
  }
}
