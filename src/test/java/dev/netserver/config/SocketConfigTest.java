package dev.netserver.config;

import dev.netserver.config.Configs.IntRule;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static dev.netserver.config.Configs.json;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.udpListener;
import static dev.netserver.config.Configs.udpProblems;
import static dev.netserver.config.Configs.withTcp;
import static dev.netserver.config.Configs.withUdp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Socket options")
class SocketConfigTest {

  private static final String BUFFER_RULE = "must be -1 (system default) or a size in bytes in 1..2147483647";

  static Stream<IntRule> ranges() {
    return Stream.of(
      new IntRule("tcp[0].socket.soLinger", -1, 65535, "must be -1 (off) or seconds in 0..65535",
        v -> tcpSocket("soLinger", v), c -> c.tcp().get(0).socket().soLinger()),
      new IntRule("tcp[0].socket.receiveBufferSize", 1, Integer.MAX_VALUE, BUFFER_RULE,
        v -> tcpSocket("receiveBufferSize", v), c -> c.tcp().get(0).socket().receiveBufferSize()),
      new IntRule("tcp[0].socket.sendBufferSize", 1, Integer.MAX_VALUE, BUFFER_RULE,
        v -> tcpSocket("sendBufferSize", v), c -> c.tcp().get(0).socket().sendBufferSize()),
      new IntRule("tcp[0].socket.trafficClass", -1, 255, "must be -1 (system default) or an integer in 0..255",
        v -> tcpSocket("trafficClass", v), c -> c.tcp().get(0).socket().trafficClass()),
      new IntRule("udp[0].socket.receiveBufferSize", 1, Integer.MAX_VALUE, BUFFER_RULE,
        v -> udpSocket("receiveBufferSize", v), c -> c.udp().get(0).socket().receiveBufferSize()),
      new IntRule("udp[0].socket.sendBufferSize", 1, Integer.MAX_VALUE, BUFFER_RULE,
        v -> udpSocket("sendBufferSize", v), c -> c.udp().get(0).socket().sendBufferSize()),
      new IntRule("udp[0].socket.trafficClass", -1, 255, "must be -1 (system default) or an integer in 0..255",
        v -> udpSocket("trafficClass", v), c -> c.udp().get(0).socket().trafficClass()));
  }

  private static JsonObject tcpSocket(String key, long value) {
    return withTcp(tcpListener("{}").put("socket", new JsonObject().put(key, value)));
  }

  private static JsonObject udpSocket(String key, long value) {
    return withUdp(udpListener("{}").put("socket", new JsonObject().put(key, value)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a socket option accepts both ends of its range")
  void rangeEndsAccepted(IntRule rule) {
    assertThat(rule.value().apply(read(rule.config().apply(rule.min())))).isEqualTo((int) rule.min());
    assertThat(rule.value().apply(read(rule.config().apply(rule.max())))).isEqualTo((int) rule.max());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a socket option just outside its range is reported with the range")
  void rangeOutsideRefused(IntRule rule) {
    assertThat(problems(rule.config().apply(rule.min() - 1))).containsExactly(rule.line(rule.min() - 1));
    assertThat(problems(rule.config().apply(rule.max() + 1))).containsExactly(rule.line(rule.max() + 1));
  }

  @Test
  @DisplayName("a buffer size of -1 leaves the system default, and -2 is refused")
  void bufferSizeSystemDefault() {
    assertThat(read(tcpSocket("receiveBufferSize", -1)).tcp().get(0).socket().receiveBufferSize()).isEqualTo(-1);
    assertThat(problems(udpSocket("sendBufferSize", -2))).containsExactly(
      "conf/config.json: udp[0].socket.sendBufferSize " + BUFFER_RULE + " (was -2)");
  }

  @Test
  @DisplayName("TCP socket switches are read as given")
  void tcpSwitches() {
    TcpSocketConfig socket = read(withTcp(tcpListener("{'socket': {'reuseAddress': false, 'reusePort': true,"
      + " 'tcpNoDelay': false, 'keepAlive': true, 'tcpFastOpen': true, 'tcpCork': true, 'tcpQuickAck': true}}"))
      .put("transport", "epoll")).tcp().get(0).socket();
    assertThat(socket).isEqualTo(new TcpSocketConfig(false, true, false, true, -1, -1, -1, -1, true, true, true));
  }

  @Test
  @DisplayName("UDP socket switches are read as given and carried into the datagram socket options")
  void udpSwitches() {
    UdpSocketConfig socket = read(withUdp(udpListener(
      "{'socket': {'reuseAddress': true, 'broadcast': true, 'receiveBufferSize': 4096, 'sendBufferSize': 2048, 'trafficClass': 16}}")))
      .udp().get(0).socket();
    DatagramSocketOptions options = socket.toDatagramSocketOptions(true);
    assertThat(options.isIpV6()).isTrue();
    assertThat(options.isReuseAddress()).isTrue();
    assertThat(options.isReusePort()).isFalse();
    assertThat(options.isBroadcast()).isTrue();
    assertThat(options.getReceiveBufferSize()).isEqualTo(4096);
    assertThat(options.getSendBufferSize()).isEqualTo(2048);
    assertThat(options.getTrafficClass()).isEqualTo(16);
  }

  @Test
  @DisplayName("the default UDP socket options do not reuse the address, whatever Vert.x's own default")
  void udpDefaultReuseAddress() {
    assertThat(UdpSocketConfig.DEFAULT.toDatagramSocketOptions(false).isReuseAddress()).isFalse();
    assertThat(UdpSocketConfig.DEFAULT.toDatagramSocketOptions(false).isIpV6()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcpFastOpen", "tcpCork", "tcpQuickAck", "reusePort"})
  @DisplayName("a native-only TCP option is refused with transport nio")
  void tcpNativeOnlyOnNio(String option) {
    assertThat(problems(withTcp(tcpListener("{'socket': {'" + option + "': true}}")).put("transport", "nio"))).containsExactly(
      "conf/config.json: tcp[0].socket." + option + " needs a native transport (epoll or io_uring), but transport is \"nio\"");
  }

  @Test
  @DisplayName("reusePort on a UDP listener is refused with transport nio")
  void udpReusePortOnNio() {
    assertThat(problems(withUdp(udpListener("{'socket': {'reusePort': true}}")).put("transport", "nio"))).containsExactly(
      "conf/config.json: udp[0].socket.reusePort needs a native transport (epoll or io_uring), but transport is \"nio\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"auto", "epoll", "io_uring"})
  @DisplayName("native-only options are accepted with a transport that may be native, and listed for the NIO fallback warning")
  void nativeOnlyAcceptedOtherwise(String transport) {
    NetserverConfig config = read(json("{'transport': '" + transport + "',"
      + " 'tcp': [{'name': 't', 'protocol': 'echo', 'port': 0, 'socket': {'tcpFastOpen': true, 'tcpQuickAck': true}}],"
      + " 'udp': [{'name': 'u', 'protocol': 'echo', 'port': 0, 'socket': {'reusePort': true}}]}"));
    assertThat(config.nativeOnlyOptionsInUse())
      .containsExactly("tcp[0].socket.tcpFastOpen", "tcp[0].socket.tcpQuickAck", "udp[0].socket.reusePort");
  }

  @Test
  @DisplayName("an option switched off is not native-only, even with transport nio")
  void nativeOnlySwitchedOff() {
    assertThat(read(withTcp(tcpListener("{'socket': {'tcpCork': false, 'reusePort': false}}")).put("transport", "nio"))
      .nativeOnlyOptionsInUse()).isEmpty();
  }

  @Test
  @DisplayName("socket option problems name the listener's socket object")
  void socketWrongType() {
    assertThat(tcpProblems("{'socket': true}")).containsExactly("conf/config.json: tcp[0].socket must be an object (was true)");
    assertThat(udpProblems("{'socket': {'broadcast': 1}}")).containsExactly(
      "conf/config.json: udp[0].socket.broadcast must be true or false (was 1)");
  }
}
