package dev.netserver.sockopts;

import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.netserver.sockopts.CommandRun.option;
import static dev.netserver.sockopts.CommandRun.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("sockopts, part one: the options each transport supports")
@Timeout(60)
class OptionListingTest {

  private static JsonObject report;

  @BeforeAll
  static void runOnce() {
    CommandRun run = CommandRun.of("--json");
    assertThat(run.exit()).as(run.err()).isZero();
    report = run.json();
  }

  @Test
  @DisplayName("an accepted NIO connection has SO_RCVBUF and TCP_NODELAY, with their OS names, levels and config keys")
  void nioConnectionOptions() {
    JsonObject rcvbuf = option(report, "nio", "tcpConnection", "SO_RCVBUF");
    assertThat(rcvbuf.getString("option")).isEqualTo("SO_RCVBUF");
    assertThat(rcvbuf.getString("osLevel")).isEqualTo("SOL_SOCKET");
    assertThat(rcvbuf.getString("level")).isEqualTo("os");
    assertThat(rcvbuf.getString("configKey")).isEqualTo("tcp[].socket.receiveBufferSize");
    assertThat(rcvbuf.getInteger("default")).isPositive();

    JsonObject nodelay = option(report, "nio", "tcpConnection", "TCP_NODELAY");
    assertThat(nodelay.getString("option")).isEqualTo("TCP_NODELAY");
    assertThat(nodelay.getString("osLevel")).isEqualTo("IPPROTO_TCP");
    assertThat(nodelay.getString("configKey")).isEqualTo("tcp[].socket.tcpNoDelay");
    assertThat(nodelay.getString("value")).isEqualTo("boolean");
  }

  @Test
  @DisplayName("a NIO UDP socket has SO_BROADCAST, set by udp[].socket.broadcast")
  void nioUdpBroadcast() {
    JsonObject broadcast = option(report, "nio", "udp", "SO_BROADCAST");
    assertThat(broadcast.getString("option")).isEqualTo("SO_BROADCAST");
    assertThat(broadcast.getString("osLevel")).isEqualTo("SOL_SOCKET");
    assertThat(broadcast.getString("configKey")).isEqualTo("udp[].socket.broadcast");
    assertThat(broadcast.getBoolean("default")).isFalse();
  }

  @Test
  @DisplayName("the backlog is listed as the listen() argument, set by tcp[].backlog, and trafficClass as IP_TOS")
  void backlogAndTos() {
    JsonObject backlog = option(report, "nio", "tcpListener", "SO_BACKLOG");
    assertThat(backlog.getString("option")).isEqualTo("listen() backlog");
    assertThat(backlog.getString("configKey")).isEqualTo("tcp[].backlog");
    assertThat(option(report, "nio", "tcpConnection", "IP_TOS").getString("configKey")).isEqualTo("tcp[].socket.trafficClass");
  }

  @Test
  @DisplayName("the mapping is Vert.x's own: SO_RCVBUF is set on accepted sockets only, and receiveBufferSize also fixes Netty's read size")
  void mappingFollowsVertx() {
    assertThat(option(report, "nio", "tcpListener", "SO_RCVBUF").getString("configKey")).isNull();
    assertThat(option(report, "nio", "tcpConnection", "RECVBUF_ALLOCATOR").getString("configKey"))
      .isEqualTo("tcp[].socket.receiveBufferSize");
  }

  @Test
  @DisplayName("Netty-level settings are listed and marked netty, not dropped")
  void nettyLevelOptionsAreMarked() {
    for (String netty : List.of("WRITE_BUFFER_WATER_MARK", "AUTO_READ", "ALLOCATOR", "RECVBUF_ALLOCATOR",
      "CONNECT_TIMEOUT_MILLIS", "MAX_MESSAGES_PER_READ")) {
      JsonObject entry = option(report, "nio", "tcpConnection", netty);
      assertThat(entry.getString("level")).as(netty).isEqualTo("netty");
      assertThat(entry.getString("meaning")).as(netty).isNotEqualTo(OptionDoc.NO_DESCRIPTION);
    }
    assertThat(option(report, "nio", "tcpConnection", "SO_KEEPALIVE").getString("level")).isEqualTo("os");
  }

  @Test
  @DisplayName("every option Netty reports has a meaning, a level and an expected value")
  void everyOptionIsDescribed() {
    for (String kind : List.of("tcpListener", "tcpConnection", "udp")) {
      List<JsonObject> entries = options(report, "nio", kind);
      assertThat(entries).as(kind).isNotEmpty();
      for (JsonObject entry : entries) {
        assertThat(entry.getString("option")).isNotBlank();
        assertThat(entry.getString("meaning")).isNotBlank();
        assertThat(entry.getString("level")).isIn("os", "netty", "unknown");
        assertThat(entry.getString("nettyConstant")).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("with epoll available, it lists SO_REUSEPORT and TCP_CORK with their keys, which NIO ignores")
  void epollListsNativeOnlyOptions() {
    assumeTrue(Transport.EPOLL != null && Transport.EPOLL.available(), "epoll is not available here");
    assertThat(option(report, "epoll", "tcpListener", "SO_REUSEPORT").getString("configKey")).isEqualTo("tcp[].socket.reusePort");
    assertThat(option(report, "epoll", "tcpConnection", "TCP_CORK").getString("configKey")).isEqualTo("tcp[].socket.tcpCork");
    assertThat(option(report, "epoll", "tcpConnection", "TCP_CORK").getString("nettyConstant")).isEqualTo("EpollChannelOption.TCP_CORK");
    assertThat(option(report, "epoll", "udp", "SO_REUSEPORT").getString("configKey")).isEqualTo("udp[].socket.reusePort");
    assertThat(options(report, "nio", "tcpConnection")).extracting(o -> o.getString("netty")).doesNotContain("TCP_CORK");
    // the JDK offers SO_REUSEPORT to NIO, but Vert.x applies reusePort only on the native transports
    options(report, "nio", "tcpListener").stream().filter(o -> o.getString("netty").equals("SO_REUSEPORT")).forEach(o -> {
      assertThat(o.getString("configKey")).isNull();
      assertThat(o.getString("configNote")).contains("tcp[].socket.reusePort").contains("ignored");
    });
  }

  @Test
  @DisplayName("a transport that can't load is listed as unavailable with its cause")
  void unavailableTransportsHaveACause() {
    CommandRun.objects(report.getJsonArray("transports")).forEach(t -> {
      if (t.getBoolean("available")) {
        assertThat(t.getJsonObject("kinds").fieldNames()).containsExactlyInAnyOrder("tcpListener", "tcpConnection", "udp");
      } else {
        assertThat(t.getString("unavailabilityCause")).isNotBlank();
        assertThat(t.containsKey("kinds")).isFalse();
      }
    });
    assertThat(CommandRun.objects(report.getJsonArray("transports")).map(t -> t.getString("name")))
      .containsExactly("nio", "epoll", "io_uring");
  }

  @Test
  @DisplayName("says that SO_BINDTODEVICE has no Java counterpart and what the interface key does instead")
  void bindToDeviceNote() {
    assertThat(report.getJsonArray("notes").getString(0))
      .contains("SO_BINDTODEVICE is not available in Java/Netty").contains("\"interface\"");
  }
}
