package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.netserver.config.Configs.SOURCE;
import static dev.netserver.config.Configs.json;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.withTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The bridge configuration")
class BridgeConfigTest {

  private static JsonObject withBridge(String bridge) {
    return withTcp(tcpListener("{}")).put("bridge", json(bridge));
  }

  @Test
  @DisplayName("is off when the configuration has no bridge object")
  void offWhenAbsent() {
    assertThat(read(withTcp(tcpListener("{}"))).bridge()).isNull();
  }

  @Test
  @DisplayName("needs only a port, and listens on 127.0.0.1 by default")
  void defaults() {
    assertThat(read(withBridge("{'port': 7000}")).bridge()).isEqualTo(new BridgeConfig("127.0.0.1", "127.0.0.1", 7000));
    assertThat(problems(withBridge("{}"))).containsExactly(SOURCE + ": bridge.port is required (an integer in 0..65535)");
  }

  @Test
  @DisplayName("accepts any loopback address or name")
  void loopbackNames() {
    assertThat(read(withBridge("{'host': 'localhost', 'port': 0}")).bridge().address()).isIn("127.0.0.1", "::1");
    assertThat(read(withBridge("{'host': '::1', 'port': 0}")).bridge().address()).isEqualTo("::1");
    assertThat(read(withBridge("{'host': '127.0.0.2', 'port': 0}")).bridge().address()).isEqualTo("127.0.0.2");
  }

  @Test
  @DisplayName("refuses anything but loopback, saying why: the bridge has no authentication")
  void loopbackOnly() {
    assertThat(problems(withBridge("{'host': '0.0.0.0', 'port': 7000}"))).containsExactly(SOURCE + ": bridge.host must be"
      + " a loopback address (127.0.0.1, ::1 or localhost): the event bus bridge has no authentication; to reach it from"
      + " another machine, tunnel to it (ssh -L) (was \"0.0.0.0\")");
    assertThatThrownBy(() -> new BridgeConfig("0.0.0.0", "0.0.0.0", 7000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("port, host and unknown keys are checked like every other object's, every problem at once")
  void strict() {
    assertThat(problems(withBridge("{'port': 70000, 'hots': 'x'}"))).containsExactly(
      SOURCE + ": bridge.port must be an integer in 0..65535 (was 70000)",
      SOURCE + ": bridge.hots is not a known key (did you mean \"host\"?)");
    assertThat(problems(withBridge("{'port': '7000', 'host': 1}"))).containsExactly(
      SOURCE + ": bridge.host must be a string (was 1)",
      SOURCE + ": bridge.port must be an integer in 0..65535 (was \"7000\")");
    assertThat(problems(withTcp(tcpListener("{}")).put("bridge", true))).containsExactly(
      SOURCE + ": bridge must be an object (was true)");
    assertThat(problems(withBridge("{'host': '192.0.2.1', 'port': 7000}"))).singleElement().asString()
      .startsWith(SOURCE + ": bridge.host must be an address of this machine");
  }
}
