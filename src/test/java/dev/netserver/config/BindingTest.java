package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.netserver.config.Configs.json;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.udpListener;
import static dev.netserver.config.Configs.withTcp;
import static dev.netserver.config.Configs.withUdp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("Binding: host, interface, port and collisions")
class BindingTest {

  /** A TCP echo listener named {@code name} on {@code host} (an address or "interface:NAME") and {@code port}. */
  private static JsonObject tcpOn(String name, String host, int port) {
    JsonObject listener = json("{'protocol': 'echo'}").put("name", name).put("port", port);
    return host.startsWith("interface:") ? listener.put("interface", host.substring(10)) : listener.put("host", host);
  }

  private static JsonObject udpOn(String name, String host, int port) {
    return json("{'protocol': 'echo'}").put("name", name).put("host", host).put("port", port);
  }

  private static Binding bindingOf(String overrides) {
    return read(withTcp(tcpListener(overrides))).tcp().get(0).binding();
  }

  // --- host

  @Test
  @DisplayName("without host or interface a listener binds 0.0.0.0")
  void defaultHost() {
    assertThat(read(withTcp(json("{'name': 't', 'protocol': 'echo', 'port': 7}"))).tcp().get(0).binding())
      .isEqualTo(Binding.of("0.0.0.0", 7));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.1", "::1", "0.0.0.0", "::"})
  @DisplayName("host accepts the loopback and wildcard addresses")
  void loopbackAndWildcards(String host) {
    Binding binding = bindingOf("{'host': '" + host + "'}");
    assertThat(binding.host()).isEqualTo(host);
    assertThat(binding.addresses()).containsExactly(host);
  }

  @Test
  @DisplayName("host accepts an IPv6 address in any spelling and binds its canonical form")
  void ipv6Canonical() {
    assertThat(bindingOf("{'host': '0:0:0:0:0:0:0:1'}").addresses()).containsExactly("::1");
  }

  @Test
  @DisplayName("a host name binds the local address it resolves to")
  void hostName() throws Exception {
    Binding binding = bindingOf("{'host': 'localhost'}");
    assertThat(binding.host()).isEqualTo("localhost");
    assertThat(binding.addresses()).singleElement().satisfies(a -> assertThat(InetAddress.getByName(a).isLoopbackAddress()).isTrue());
  }

  @Test
  @DisplayName("host must be an address of this machine")
  void hostNotLocal() {
    assertThat(tcpProblems("{'host': '203.0.113.7'}")).singleElement().asString()
      .startsWith("conf/config.json: tcp[0].host must be an address of this machine (203.0.113.7 is not; this machine has ")
      .contains("127.0.0.1")
      .endsWith(") (was \"203.0.113.7\")");
  }

  @Test
  @DisplayName("host must be an IP address or a name that resolves")
  void hostUnresolvable() {
    assertThat(tcpProblems("{'host': 'nosuch.invalid'}")).containsExactly(
      "conf/config.json: tcp[0].host must be an IP address or a host name that resolves (was \"nosuch.invalid\")");
  }

  @Test
  @DisplayName("a host of the wrong type is reported once, not also as a collision on 0.0.0.0")
  void hostWrongTypeDoesNotCollide() {
    assertThat(problems(withTcp(tcpOn("a", "0.0.0.0", 5000), tcpListener("{'name': 'b', 'port': 5000}").put("host", 5))))
      .containsExactly("conf/config.json: tcp[1].host must be a string (was 5)");
  }

  // --- interface

  @Test
  @DisplayName("interface binds every address of the card except IPv6 link-local ones, IPv4 first")
  void loopbackInterface() {
    Binding binding = read(withTcp(tcpOn("t", "interface:lo", 5000))).tcp().get(0).binding();
    assertThat(binding.host()).isNull();
    assertThat(binding.networkInterface()).isEqualTo("lo");
    assertThat(binding.addresses()).first().isEqualTo("127.0.0.1");
    assertThat(binding.addresses()).allSatisfy(a -> assertThat(InetAddress.getByName(a).isLoopbackAddress()).isTrue());
  }

  @Test
  @DisplayName("interface must name a network card of this machine, and the message lists them")
  void interfaceUnknown() {
    assertThat(problems(withTcp(tcpOn("t", "interface:nosuch0", 0)))).singleElement().asString()
      .startsWith("conf/config.json: tcp[0].interface must name a network interface of this machine (it has ")
      .contains("lo")
      .endsWith(") (was \"nosuch0\")");
  }

  /**
   * A card of this machine without an address other than IPv6 link-local: one Java lists with only such
   * addresses, or one Linux shows in /sys/class/net that Java doesn't list at all (it has no address).
   */
  private static Optional<String> cardWithoutAddress() throws IOException {
    List<NetworkInterface> listed = Collections.list(NetworkInterface.getNetworkInterfaces());
    Optional<String> linkLocalOnly = listed.stream()
      .filter(nic -> nic.inetAddresses().allMatch(a -> a instanceof Inet6Address && a.isLinkLocalAddress()))
      .map(NetworkInterface::getName)
      .findFirst();
    Path sys = Path.of("/sys/class/net");
    if (linkLocalOnly.isPresent() || !Files.isDirectory(sys)) {
      return linkLocalOnly;
    }
    List<String> listedNames = listed.stream().map(NetworkInterface::getName).toList();
    try (Stream<Path> cards = Files.list(sys)) {
      return cards.filter(Files::isDirectory).map(p -> p.getFileName().toString())
        .filter(name -> !listedNames.contains(name))
        .findFirst();
    }
  }

  @Test
  @DisplayName("interface must name a card that has an address other than IPv6 link-local")
  void interfaceWithoutAddress() throws Exception {
    Optional<String> bare = cardWithoutAddress();
    assumeTrue(bare.isPresent(), "this machine has no network interface without a usable address");
    String name = bare.get();
    assertThat(problems(withTcp(tcpOn("t", "interface:" + name, 0)))).containsExactly(
      "conf/config.json: tcp[0].interface must name an interface that has an IP address (this one has none besides"
        + " IPv6 link-local ones) (was \"" + name + "\")");
  }

  @Test
  @DisplayName("host and interface may not be given together")
  void hostAndInterface() {
    assertThat(tcpProblems("{'host': '127.0.0.1', 'interface': 'lo'}")).containsExactly(
      "conf/config.json: tcp[0] sets both \"host\" (\"127.0.0.1\") and \"interface\" (\"lo\"); use one of them");
  }

  @Test
  @DisplayName("an interface of the wrong type is reported once, not also as a collision on 0.0.0.0")
  void interfaceWrongTypeDoesNotCollide() {
    JsonObject odd = json("{'name': 'b', 'protocol': 'echo', 'port': 5000, 'interface': ['lo']}");
    assertThat(problems(withTcp(tcpOn("a", "0.0.0.0", 5000), odd)))
      .containsExactly("conf/config.json: tcp[1].interface must be a string (was [\"lo\"])");
  }

  // --- collisions

  @Test
  @DisplayName("two TCP listeners on the same address and port collide")
  void sameAddressCollides() {
    assertThat(problems(withTcp(tcpOn("a", "127.0.0.1", 5000), tcpOn("b", "127.0.0.1", 5000)))).containsExactly(
      "conf/config.json: tcp[1] would listen on 127.0.0.1:5000, which collides with tcp[0] on 127.0.0.1:5000");
  }

  @Test
  @DisplayName("0.0.0.0 covers every IPv4 address")
  void ipv4WildcardCovers() {
    assertThat(problems(withTcp(tcpOn("a", "127.0.0.1", 5000), tcpOn("b", "0.0.0.0", 5000)))).containsExactly(
      "conf/config.json: tcp[1] would listen on 0.0.0.0:5000, which collides with tcp[0] on 127.0.0.1:5000");
  }

  @Test
  @DisplayName("0.0.0.0 does not cover IPv6 addresses")
  void ipv4WildcardLeavesIpv6() {
    assertThat(read(withTcp(tcpOn("a", "0.0.0.0", 5000), tcpOn("b", "::1", 5000))).tcp()).hasSize(2);
  }

  @Test
  @DisplayName(":: covers every address, IPv4 ones included")
  void ipv6WildcardCoversAll() {
    assertThat(problems(withTcp(tcpOn("a", "::", 5000), tcpOn("b", "127.0.0.1", 5000), tcpOn("c", "0.0.0.0", 5001),
      tcpOn("d", "::", 5001)))).containsExactly(
      "conf/config.json: tcp[1] would listen on 127.0.0.1:5000, which collides with tcp[0] on [::]:5000",
      "conf/config.json: tcp[3] would listen on [::]:5001, which collides with tcp[2] on 0.0.0.0:5001");
  }

  @Test
  @DisplayName("listeners on different ports do not collide")
  void differentPorts() {
    assertThat(read(withTcp(tcpOn("a", "0.0.0.0", 5000), tcpOn("b", "0.0.0.0", 5001))).tcp()).hasSize(2);
  }

  @Test
  @DisplayName("port 0 never collides: each listener gets its own ephemeral port")
  void portZeroNeverCollides() {
    assertThat(read(withTcp(tcpOn("a", "0.0.0.0", 0), tcpOn("b", "0.0.0.0", 0))).tcp()).hasSize(2);
  }

  @Test
  @DisplayName("a TCP and a UDP listener on the same address and port do not collide")
  void tcpAndUdpDoNotCollide() {
    JsonObject config = withTcp(tcpOn("a", "0.0.0.0", 5000));
    config.getJsonArray("udp").add(udpOn("b", "0.0.0.0", 5000));
    assertThat(read(config).udp()).hasSize(1);
  }

  @Test
  @DisplayName("two UDP listeners on the same address and port collide")
  void udpCollides() {
    assertThat(problems(withUdp(udpOn("a", "0.0.0.0", 5000), udpListener("{'name': 'b', 'port': 5000}")))).containsExactly(
      "conf/config.json: udp[1] would listen on 127.0.0.1:5000, which collides with udp[0] on 0.0.0.0:5000");
  }

  @Test
  @DisplayName("a listener on an interface collides with one on any of the interface's addresses")
  void interfaceAddressesCollide() {
    assertThat(problems(withTcp(tcpOn("a", "interface:lo", 5000), tcpOn("b", "127.0.0.1", 5000)))).containsExactly(
      "conf/config.json: tcp[1] would listen on 127.0.0.1:5000, which collides with tcp[0] on 127.0.0.1:5000");
  }

  // --- how a binding is written

  @Test
  @DisplayName("a binding is described as address:port, with IPv6 addresses in brackets")
  void describeHost() {
    assertThat(Binding.of("0.0.0.0", 51423).describe()).isEqualTo("0.0.0.0:51423");
    assertThat(Binding.of("::1", 7).describe()).isEqualTo("[::1]:7");
    assertThat(Binding.hostAndPort("fd00::2", 9)).isEqualTo("[fd00::2]:9");
  }

  @Test
  @DisplayName("an interface binding is described by its name, its addresses and the port")
  void describeInterface() {
    assertThat(new Binding(null, "lo", List.of("127.0.0.1", "::1"), 5000).describe()).isEqualTo("lo (127.0.0.1, ::1) port 5000");
  }
}
