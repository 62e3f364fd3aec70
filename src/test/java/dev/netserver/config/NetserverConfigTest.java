package dev.netserver.config;

import dev.netserver.config.Configs.IntRule;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.netserver.config.Configs.failure;
import static dev.netserver.config.Configs.json;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("NetserverConfig.read")
class NetserverConfigTest {

  // --- defaults

  @Test
  @DisplayName("an empty configuration has a greeting listener on TCP 51423, an echo listener on TCP 51424 and a UDP echo listener on 51423, all on 0.0.0.0")
  void defaultListeners() {
    NetserverConfig config = read(json("{}"));
    assertThat(config.tcp()).containsExactly(
      TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("0.0.0.0", 51423)),
      TcpListenerConfig.of("echo", TcpProtocol.ECHO, Binding.of("0.0.0.0", 51424)));
    assertThat(config.udp()).containsExactly(UdpListenerConfig.of("udp-echo", Binding.of("0.0.0.0", 51423)));
  }

  @Test
  @DisplayName("a default TCP listener uses one instance, the kernel's backlog limit, a 60 s idle timeout, 8192-byte lines and the textbook texts")
  void defaultTcpSettings() {
    TcpListenerConfig greeter = read(json("{}")).tcp().get(0);
    assertThat(greeter.instances()).isEqualTo(1);
    assertThat(greeter.backlog()).isEqualTo(TcpListenerConfig.KERNEL_BACKLOG_LIMIT);
    assertThat(greeter.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(greeter.maxLineBytes()).isEqualTo(8192);
    assertThat(greeter.texts())
      .isEqualTo(new GreetingTexts("Welcome, {client}", "Please enter a string: ", "You entered {count} characters."));
    assertThat(greeter.socket())
      .isEqualTo(new TcpSocketConfig(true, false, true, false, -1, -1, -1, -1, false, false, false));
  }

  @Test
  @DisplayName("a default UDP listener uses one socket, echoes datagrams up to 8192 bytes and drops those from ports 0-1023 and 2049")
  void defaultUdpSettings() {
    UdpListenerConfig udp = read(json("{}")).udp().get(0);
    assertThat(udp.instances()).isEqualTo(1);
    assertThat(udp.maxDatagramBytes()).isEqualTo(8192);
    assertThat(udp.blockedSourcePorts()).isEqualTo(PortSet.parse("0-1023,2049"));
    assertThat(udp.socket()).isEqualTo(new UdpSocketConfig(false, false, false, -1, -1, -1));
  }

  @Test
  @DisplayName("by default the transport is auto, stats are published every 1000 ms and logged every 10 s, and shutdown grants 5 s")
  void defaultSettings() {
    NetserverConfig config = read(json("{}"));
    assertThat(config.transport()).isEqualTo(TransportChoice.AUTO);
    assertThat(config.stats()).isEqualTo(new StatsConfig(1000, 10));
    assertThat(config.shutdown()).isEqualTo(new ShutdownConfig(5));
  }

  @Test
  @DisplayName("by default the node is named after the machine's host name")
  void defaultNodeName() throws Exception {
    // $HOSTNAME when the shell exported it (no lookup needed), else what the system resolver says
    String env = System.getenv("HOSTNAME");
    String expected = env != null && !env.isBlank() ? env : InetAddress.getLocalHost().getHostName();
    assertThat(read(json("{}")).nodeName()).isEqualTo(expected);
  }

  @Test
  @DisplayName("an empty tcp array means no TCP listener, and leaves the default UDP listener")
  void emptyTcpArray() {
    NetserverConfig config = read(json("{'tcp': []}"));
    assertThat(config.tcp()).isEmpty();
    assertThat(config.udp()).extracting(UdpListenerConfig::name).containsExactly("udp-echo");
  }

  @Test
  @DisplayName("an empty udp array means no UDP listener, and leaves the default TCP listeners")
  void emptyUdpArray() {
    NetserverConfig config = read(json("{'udp': []}"));
    assertThat(config.udp()).isEmpty();
    assertThat(config.tcp()).extracting(TcpListenerConfig::name).containsExactly("greeter", "echo");
  }

  @Test
  @DisplayName("tcp and udp both empty is refused, naming both keys: nothing would listen")
  void noListenerAtAll() {
    assertThat(problems(json("{'tcp': [], 'udp': []}"))).containsExactly(
      "conf/config.json: tcp and udp are both empty, so nothing would listen: configure at least one listener"
        + " (or leave one key out to get its default listeners)");
  }

  @Test
  @DisplayName("a listener list that is not even an array is reported as such, without a second line about listeners")
  void noListenerNotRepeated() {
    assertThat(problems(json("{'tcp': 5, 'udp': []}"))).containsExactly(
      "conf/config.json: tcp must be an array of objects (was 5)");
  }

  @Test
  @DisplayName("the shipped conf/config.json reads without problems and has the listeners greeter, echo and udp-echo")
  void shippedConfiguration() throws Exception {
    Path file = Path.of("conf/config.json");
    NetserverConfig config = NetserverConfig.read(file.toString(), new JsonObject(Files.readString(file)));
    assertThat(config.nodeName()).isEqualTo("netserver-1");
    assertThat(config.tcp()).extracting(TcpListenerConfig::name, TcpListenerConfig::protocol, l -> l.binding().describe())
      .containsExactly(
        tuple("greeter", TcpProtocol.GREETING, "0.0.0.0:51423"),
        tuple("echo", TcpProtocol.ECHO, "0.0.0.0:51424"));
    assertThat(config.udp()).extracting(UdpListenerConfig::name, l -> l.binding().describe())
      .containsExactly(tuple("udp-echo", "0.0.0.0:51423"));
  }

  @Test
  @DisplayName("the shipped conf/node2.json and conf/node3.json read without problems, with their own names and ports, for three nodes on one machine")
  void shippedClusterNodes() throws Exception {
    List<NetserverConfig> nodes = new java.util.ArrayList<>();
    for (String name : List.of("conf/config.json", "conf/node2.json", "conf/node3.json")) {
      nodes.add(NetserverConfig.read(name, new JsonObject(Files.readString(Path.of(name)))));
    }
    assertThat(nodes).extracting(NetserverConfig::nodeName).containsExactly("netserver-1", "netserver-2", "netserver-3");
    assertThat(nodes).flatExtracting(c -> c.tcp().stream().map(l -> l.binding().port()).toList())
      .containsExactly(51423, 51424, 51433, 51434, 51443, 51444);
    assertThat(nodes).flatExtracting(c -> c.udp().stream().map(l -> l.binding().port()).toList())
      .containsExactly(51423, 51433, 51443);
  }

  // --- node and transport

  @Test
  @DisplayName("node.name, when given, names the node")
  void nodeName() {
    assertThat(read(json("{'node': {'name': 'edge-7'}}")).nodeName()).isEqualTo("edge-7");
  }

  @Test
  @DisplayName("node.name must be 1 to 255 characters without spaces or control characters")
  void nodeNameRule() {
    assertThat(problems(json("{'node': {'name': 'edge 7'}}"))).containsExactly(
      "conf/config.json: node.name must be 1 to 255 characters without spaces or control characters (was \"edge 7\")");
    assertThat(problems(json("{'node': {'name': ''}}"))).containsExactly(
      "conf/config.json: node.name must be 1 to 255 characters without spaces or control characters (was \"\")");
  }

  @Test
  @DisplayName("a node.name longer than 255 characters is reported with its length, as the value is cut short in the message")
  void nodeNameTooLong() {
    assertThat(problems(new JsonObject().put("node", new JsonObject().put("name", "n".repeat(256))))).containsExactly(
      "conf/config.json: node.name must be at most 255 characters long, this one has 256 (was \"" + "n".repeat(56) + "...)");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"auto", "nio", "epoll", "io_uring"})
  @DisplayName("transport accepts each of its spellings")
  void transportSpellings(String spelling) {
    assertThat(read(json("{'transport': '" + spelling + "'}")).transport().configName()).isEqualTo(spelling);
  }

  @Test
  @DisplayName("transport must be one of auto, nio, epoll, io_uring")
  void transportRule() {
    assertThat(problems(json("{'transport': 'kqueue'}"))).containsExactly(
      "conf/config.json: transport must be one of auto, nio, epoll, io_uring (was \"kqueue\")");
  }

  // --- cluster

  @Test
  @DisplayName("without a cluster key no Hazelcast file is named, so -cluster uses conf/cluster.xml or the built-in copy")
  void clusterDefault() {
    assertThat(read(json("{}")).cluster()).isEqualTo(ClusterConfig.DEFAULT);
    assertThat(read(json("{'cluster': {}}")).cluster().configured()).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"conf/cluster-prod.xml", "/etc/netserver/hazelcast.yaml", "cluster.yml", "C.XML"})
  @DisplayName("cluster.config names a Hazelcast XML or YAML file, as written")
  void clusterConfig(String path) {
    assertThat(read(new JsonObject().put("cluster", new JsonObject().put("config", path))).cluster().config()).isEqualTo(path);
  }

  static Stream<Arguments> badClusterConfigs() {
    return Stream.of(
      arguments("an empty path", "{'cluster': {'config': ''}}",
        "conf/config.json: cluster.config must be the path of a Hazelcast XML or YAML file (.xml, .yaml or .yml) (was \"\")"),
      arguments("another extension", "{'cluster': {'config': 'conf/cluster.json'}}",
        "conf/config.json: cluster.config must be the path of a Hazelcast XML or YAML file (.xml, .yaml or .yml) (was \"conf/cluster.json\")"),
      arguments("a bare extension", "{'cluster': {'config': '.xml'}}",
        "conf/config.json: cluster.config must be the path of a Hazelcast XML or YAML file (.xml, .yaml or .yml) (was \".xml\")"),
      arguments("a number", "{'cluster': {'config': 5}}",
        "conf/config.json: cluster.config must be a string (was 5)"),
      arguments("a string for the object", "{'cluster': 'conf/cluster.xml'}",
        "conf/config.json: cluster must be an object (was \"conf/cluster.xml\")"),
      arguments("an unknown key", "{'cluster': {'confg': 'conf/cluster.xml'}}",
        "conf/config.json: cluster.confg is not a known key (did you mean \"config\"?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badClusterConfigs")
  @DisplayName("cluster.config must be a string naming a .xml, .yaml or .yml file, and cluster has no other key")
  void clusterConfigRule(String what, String config, String line) {
    assertThat(problems(json(config))).containsExactly(line);
  }

  // --- stats and shutdown ranges

  static Stream<IntRule> ranges() {
    return Stream.of(
      new IntRule("stats.publishIntervalMs", 10, 3_600_000, "must be an integer in 10..3600000",
        v -> new JsonObject().put("stats", new JsonObject().put("publishIntervalMs", v)), c -> c.stats().publishIntervalMs()),
      new IntRule("stats.logIntervalSeconds", 0, 86_400, "must be an integer in 0..86400",
        v -> new JsonObject().put("stats", new JsonObject().put("logIntervalSeconds", v)), c -> c.stats().logIntervalSeconds()),
      new IntRule("shutdown.graceSeconds", 0, 3600, "must be an integer in 0..3600",
        v -> new JsonObject().put("shutdown", new JsonObject().put("graceSeconds", v)), c -> c.shutdown().graceSeconds()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a setting accepts both ends of its range")
  void rangeEndsAccepted(IntRule rule) {
    assertThat(rule.value().apply(read(rule.config().apply(rule.min())))).isEqualTo((int) rule.min());
    assertThat(rule.value().apply(read(rule.config().apply(rule.max())))).isEqualTo((int) rule.max());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a setting just outside its range is reported with the range")
  void rangeOutsideRefused(IntRule rule) {
    assertThat(problems(rule.config().apply(rule.min() - 1))).containsExactly(rule.line(rule.min() - 1));
    assertThat(problems(rule.config().apply(rule.max() + 1))).containsExactly(rule.line(rule.max() + 1));
  }

  // --- how problems are reported

  @Test
  @DisplayName("every problem of a configuration is reported in one exception, in the order they were found")
  void allProblemsAtOnce() {
    ConfigException e = failure(json("{'node': {'name': 'edge 7'}, 'transport': 'kqueue',"
      + " 'tcp': [{'name': 'Greeter', 'protocol': 'greeting', 'port': 70000}],"
      + " 'stats': {'publishIntervalMs': 5}, 'shutdwn': {}}"));
    List<String> expected = List.of(
      "conf/config.json: node.name must be 1 to 255 characters without spaces or control characters (was \"edge 7\")",
      "conf/config.json: transport must be one of auto, nio, epoll, io_uring (was \"kqueue\")",
      "conf/config.json: tcp[0].name must be 1 to 63 lower-case letters, digits or '-' (was \"Greeter\")",
      "conf/config.json: tcp[0].port must be an integer in 0..65535 (was 70000)",
      "conf/config.json: stats.publishIntervalMs must be an integer in 10..3600000 (was 5)",
      "conf/config.json: shutdwn is not a known key (did you mean \"shutdown\"?)");
    assertThat(e.problems()).containsExactlyElementsOf(expected);
    assertThat(e).hasMessage("6 configuration problems:\n" + String.join("\n", expected));
  }

  @Test
  @DisplayName("a single problem is the exception's whole message")
  void singleProblemMessage() {
    assertThat(failure(json("{'transport': 'kqueue'}")))
      .hasMessage("conf/config.json: transport must be one of auto, nio, epoll, io_uring (was \"kqueue\")");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
      arguments("a string for an integer", "{'tcp': [{'name': 't', 'protocol': 'echo', 'port': '70000'}]}",
        "conf/config.json: tcp[0].port must be an integer in 0..65535 (was \"70000\")"),
      arguments("a fraction for an integer", "{'tcp': [{'name': 't', 'protocol': 'echo', 'port': 1.5}]}",
        "conf/config.json: tcp[0].port must be an integer in 0..65535 (was 1.5)"),
      arguments("null for an integer", "{'tcp': [{'name': 't', 'protocol': 'echo', 'port': null}]}",
        "conf/config.json: tcp[0].port must be an integer in 0..65535 (was null)"),
      arguments("a boolean for an integer", "{'stats': {'publishIntervalMs': true}}",
        "conf/config.json: stats.publishIntervalMs must be an integer in 10..3600000 (was true)"),
      arguments("a string for a boolean", "{'tcp': [{'name': 't', 'protocol': 'echo', 'port': 0, 'socket': {'tcpNoDelay': 'yes'}}]}",
        "conf/config.json: tcp[0].socket.tcpNoDelay must be true or false (was \"yes\")"),
      arguments("a number for a string", "{'tcp': [{'name': 7, 'protocol': 'echo', 'port': 0}]}",
        "conf/config.json: tcp[0].name must be a string (was 7)"),
      arguments("a number for a choice", "{'transport': 1}",
        "conf/config.json: transport must be one of auto, nio, epoll, io_uring (was 1)"),
      arguments("a number for an object", "{'stats': 5}",
        "conf/config.json: stats must be an object (was 5)"),
      arguments("an object for an array", "{'tcp': {'name': 't'}}",
        "conf/config.json: tcp must be an array of objects (was {\"name\":\"t\"})"),
      arguments("a number for an array element", "{'tcp': [5]}",
        "conf/config.json: tcp[0] must be an object (was 5)"),
      arguments("an array for a string", "{'udp': [{'name': 'u', 'protocol': 'echo', 'port': 0, 'blockedSourcePorts': [22]}]}",
        "conf/config.json: udp[0].blockedSourcePorts must be a string (was [22])"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  @DisplayName("a value of the wrong JSON type is reported with the rule and the value written as JSON")
  void wrongType(String what, String config, String line) {
    assertThat(problems(json(config))).containsExactly(line);
  }

  @Test
  @DisplayName("a long value is cut to 60 characters in the message")
  void longValueShortened() {
    String name = "x ".repeat(50);
    assertThat(problems(new JsonObject().put("node", new JsonObject().put("name", name)))).containsExactly(
      "conf/config.json: node.name must be 1 to 255 characters without spaces or control characters (was \""
        + name.substring(0, 56) + "...)");
  }

  // --- unknown keys

  @Test
  @DisplayName("an unknown key in a listener suggests the nearest known key (nmae: name)")
  void typoInListener() {
    assertThat(problems(json("{'tcp': [{'nmae': 't', 'protocol': 'echo', 'port': 0}]}"))).containsExactly(
      "conf/config.json: tcp[0].name is required (1 to 63 lower-case letters, digits or '-')",
      "conf/config.json: tcp[0].nmae is not a known key (did you mean \"name\"?)");
  }

  @Test
  @DisplayName("an unknown key at the top level suggests the nearest known key (shutdwn: shutdown)")
  void typoAtTopLevel() {
    assertThat(problems(json("{'shutdwn': {'graceSeconds': 1}}"))).containsExactly(
      "conf/config.json: shutdwn is not a known key (did you mean \"shutdown\"?)");
  }

  @Test
  @DisplayName("an unknown key in socket options suggests the nearest known key (recieveBufferSize: receiveBufferSize)")
  void typoInSocketOptions() {
    assertThat(problems(json("{'udp': [{'name': 'u', 'protocol': 'echo', 'port': 0, 'socket': {'recieveBufferSize': 65536}}]}")))
      .containsExactly("conf/config.json: udp[0].socket.recieveBufferSize is not a known key (did you mean \"receiveBufferSize\"?)");
  }

  @Test
  @DisplayName("an unknown key that is close to no known key lists the known keys")
  void unknownKeyListsKnownKeys() {
    assertThat(problems(json("{'verbose': true}"))).containsExactly(
      "conf/config.json: verbose is not a known key (known keys: node, transport, tcp, udp, stats, shutdown, cluster, admin, bridge, reload)");
    assertThat(problems(json("{'stats': {'interval': 5}}"))).containsExactly(
      "conf/config.json: stats.interval is not a known key (known keys: publishIntervalMs, logIntervalSeconds)");
  }
}
