package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.udpListener;
import static dev.netserver.config.Configs.udpProblems;
import static dev.netserver.config.Configs.withUdp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A UDP listener's engine")
class UdpEngineConfigTest {

  private static UdpListenerConfig udp(String overrides) {
    return read(withUdp(udpListener(overrides))).udp().get(0);
  }

  @Test
  @DisplayName("is auto by default, and auto serves a UDP echo on the direct engine")
  void autoIsDirect() {
    UdpListenerConfig config = udp("{}");
    assertThat(config.engine()).isEqualTo(Engine.AUTO);
    assertThat(config.engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("may be vertx or direct")
  void chosen() {
    assertThat(udp("{'engine': 'vertx'}").engineInUse()).isEqualTo(Engine.VERTX);
    assertThat(udp("{'engine': 'direct'}").engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("must be one of auto, vertx, direct")
  void unknown() {
    assertThat(udpProblems("{'engine': 'netty'}")).containsExactly(
      "conf/config.json: udp[0].engine must be one of auto, vertx, direct (was \"netty\")");
  }

  @Test
  @DisplayName("vertx reads into 256 KiB buffers unless receiveBufferSize is set: any datagram fits, none is echoed truncated")
  void vertxReadBuffer() {
    assertThat(udp("{'engine': 'vertx'}").vertxReceiveBufferSize()).isEqualTo(UdpListenerConfig.VERTX_DEFAULT_RECEIVE_BUFFER_SIZE)
      .isGreaterThan(UdpListenerConfig.MAX_UDP_PAYLOAD);
    assertThat(udp("{'engine': 'vertx', 'maxDatagramBytes': 1000, 'socket': {'receiveBufferSize': 1001}}").vertxReceiveBufferSize())
      .isEqualTo(1001);
  }

  @Test
  @DisplayName("vertx refuses a receiveBufferSize of at most maxDatagramBytes, naming the key and the engine")
  void vertxReceiveBufferTooSmall() {
    assertThat(udpProblems("{'engine': 'vertx', 'maxDatagramBytes': 1000, 'socket': {'receiveBufferSize': 1000}}")).containsExactly(
      "conf/config.json: udp[0].socket.receiveBufferSize must be more than maxDatagramBytes (1000) with engine \"vertx\":"
        + " Vert.x's DatagramSocket reads every datagram into a buffer of that size, so a larger one would be echoed"
        + " truncated (was 1000)");
  }

  @Test
  @DisplayName("direct takes any receiveBufferSize: it sizes its read buffers itself")
  void directAnyReceiveBuffer() {
    assertThat(udp("{'engine': 'direct', 'maxDatagramBytes': 1000, 'socket': {'receiveBufferSize': 1000}}").socket().receiveBufferSize())
      .isEqualTo(1000);
  }
}
