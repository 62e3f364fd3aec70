package dev.netserver.config;

import dev.netserver.config.Configs.IntRule;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

@DisplayName("TCP and UDP listeners")
class ListenerConfigTest {

  // --- name

  @Test
  @DisplayName("name is required")
  void nameRequired() {
    assertThat(problems(json("{'tcp': [{'protocol': 'echo', 'port': 0}]}"))).containsExactly(
      "conf/config.json: tcp[0].name is required (1 to 63 lower-case letters, digits or '-')");
  }

  @Test
  @DisplayName("name must be lower-case letters, digits or '-'")
  void nameAlphabet() {
    assertThat(tcpProblems("{'name': 'Greeter_1'}")).containsExactly(
      "conf/config.json: tcp[0].name must be 1 to 63 lower-case letters, digits or '-' (was \"Greeter_1\")");
  }

  @Test
  @DisplayName("name may be 63 characters long")
  void nameLongest() {
    String longest = "a".repeat(63);
    assertThat(read(withTcp(tcpListener("{'name': '" + longest + "'}"))).tcp().get(0).name()).isEqualTo(longest);
  }

  @Test
  @DisplayName("a name longer than 63 characters is reported with its length, as the value is cut short in the message")
  void nameTooLong() {
    assertThat(tcpProblems("{'name': '" + "a".repeat(64) + "'}")).containsExactly(
      "conf/config.json: tcp[0].name must be at most 63 characters long, this one has 64 (was \"" + "a".repeat(56) + "...)");
  }

  @Test
  @DisplayName("name may not be empty")
  void nameEmpty() {
    assertThat(udpProblems("{'name': ''}")).containsExactly(
      "conf/config.json: udp[0].name must be 1 to 63 lower-case letters, digits or '-' (was \"\")");
  }

  @Test
  @DisplayName("two TCP listeners may not share a name")
  void namesUniqueAmongTcp() {
    assertThat(problems(withTcp(tcpListener("{'name': 'echo'}"), tcpListener("{'name': 'echo'}")))).containsExactly(
      "conf/config.json: tcp[1].name must be unique among listeners, but tcp[0] has it too (was \"echo\")");
  }

  @Test
  @DisplayName("a UDP listener may not share a name with a TCP listener")
  void namesUniqueAcrossTcpAndUdp() {
    JsonObject config = withTcp(tcpListener("{'name': 'echo'}"));
    config.getJsonArray("udp").add(udpListener("{'name': 'echo'}"));
    assertThat(problems(config)).containsExactly(
      "conf/config.json: udp[0].name must be unique among listeners, but tcp[0] has it too (was \"echo\")");
  }

  // --- protocol

  @Test
  @DisplayName("protocol is required")
  void protocolRequired() {
    assertThat(problems(json("{'tcp': [{'name': 't', 'port': 0}], 'udp': [{'name': 'u', 'port': 0}]}"))).containsExactly(
      "conf/config.json: tcp[0].protocol is required (one of greeting, echo)",
      "conf/config.json: udp[0].protocol is required (one of echo)");
  }

  @Test
  @DisplayName("a TCP listener speaks greeting or echo")
  void tcpProtocols() {
    assertThat(read(withTcp(tcpListener("{'protocol': 'greeting'}"))).tcp().get(0).protocol()).isEqualTo(TcpProtocol.GREETING);
    assertThat(tcpProblems("{'protocol': 'http'}")).containsExactly(
      "conf/config.json: tcp[0].protocol must be one of greeting, echo (was \"http\")");
  }

  @Test
  @DisplayName("a UDP listener speaks only echo")
  void udpProtocols() {
    assertThat(udpProblems("{'protocol': 'greeting'}")).containsExactly(
      "conf/config.json: udp[0].protocol must be one of echo (was \"greeting\")");
  }

  // --- port and the other integers

  @Test
  @DisplayName("port is required")
  void portRequired() {
    assertThat(problems(json("{'tcp': [{'name': 't', 'protocol': 'echo'}], 'udp': [{'name': 'u', 'protocol': 'echo'}]}")))
      .containsExactly(
        "conf/config.json: tcp[0].port is required (an integer in 0..65535)",
        "conf/config.json: udp[0].port is required (an integer in 0..65535)");
  }

  static Stream<IntRule> ranges() {
    return Stream.of(
      new IntRule("tcp[0].port", 0, 65535, "must be an integer in 0..65535",
        v -> withTcp(tcpListener("{}").put("port", v)), c -> c.tcp().get(0).binding().port()),
      new IntRule("tcp[0].instances", 0, 1024, "must be an integer in 0..1024 (0 = one per CPU core)",
        v -> withTcp(tcpListener("{}").put("instances", v)), c -> c.tcp().get(0).instances()),
      new IntRule("tcp[0].backlog", 1, 65535, "must be an integer in 1..65535",
        v -> withTcp(tcpListener("{}").put("backlog", v)), c -> c.tcp().get(0).backlog()),
      new IntRule("tcp[0].idleTimeoutSeconds", 0, 86_400, "must be an integer in 0..86400 (0 = never)",
        v -> withTcp(tcpListener("{}").put("idleTimeoutSeconds", v)), c -> c.tcp().get(0).idleTimeoutSeconds()),
      new IntRule("tcp[0].maxLineBytes", 1, 1_048_576, "must be an integer in 1..1048576",
        v -> withTcp(tcpListener("{'protocol': 'greeting'}").put("maxLineBytes", v)), c -> c.tcp().get(0).maxLineBytes()),
      new IntRule("udp[0].port", 0, 65535, "must be an integer in 0..65535",
        v -> withUdp(udpListener("{}").put("port", v)), c -> c.udp().get(0).binding().port()),
      new IntRule("udp[0].instances", 1, 1024, "must be an integer in 1..1024",
        v -> withUdp(udpListener("{'socket': {'reusePort': true}}").put("instances", v)).put("transport", "epoll"),
        c -> c.udp().get(0).instances()),
      new IntRule("udp[0].maxDatagramBytes", 1, 65_507, "must be an integer in 1..65507",
        v -> withUdp(udpListener("{}").put("maxDatagramBytes", v)), c -> c.udp().get(0).maxDatagramBytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a listener setting accepts both ends of its range")
  void rangeEndsAccepted(IntRule rule) {
    assertThat(rule.value().apply(read(rule.config().apply(rule.min())))).isEqualTo((int) rule.min());
    assertThat(rule.value().apply(read(rule.config().apply(rule.max())))).isEqualTo((int) rule.max());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  @DisplayName("a listener setting just outside its range is reported with the range")
  void rangeOutsideRefused(IntRule rule) {
    assertThat(problems(rule.config().apply(rule.min() - 1))).containsExactly(rule.line(rule.min() - 1));
    assertThat(problems(rule.config().apply(rule.max() + 1))).containsExactly(rule.line(rule.max() + 1));
  }

  // --- greeting-only settings

  @Test
  @DisplayName("maxLineBytes applies only to greeting listeners")
  void maxLineBytesGreetingOnly() {
    assertThat(tcpProblems("{'protocol': 'echo', 'maxLineBytes': 100}")).containsExactly(
      "conf/config.json: tcp[0].maxLineBytes applies only to protocol \"greeting\" (this listener's protocol is \"echo\")");
  }

  @Test
  @DisplayName("the greeting's texts apply only to greeting listeners (texts.refused applies to all)")
  void textsGreetingOnly() {
    assertThat(tcpProblems("{'protocol': 'echo', 'texts': {'prompt': '> ', 'refused': 'Go away.'}}")).containsExactly(
      "conf/config.json: tcp[0].texts.prompt applies only to protocol \"greeting\" (this listener's protocol is \"echo\")");
  }

  @Test
  @DisplayName("texts given for a greeting listener replace the defaults one by one, with their placeholders")
  void textsRead() {
    GreetingTexts texts = read(withTcp(tcpListener(
      "{'protocol': 'greeting', 'texts': {'welcome': 'Hello {client}!', 'answer': '{count} chars'}}"))).tcp().get(0).texts();
    assertThat(texts).isEqualTo(new GreetingTexts("Hello {client}!", "Please enter a string: ", "{count} chars"));
  }

  @Test
  @DisplayName("the welcome text may contain only the {client} placeholder")
  void welcomePlaceholders() {
    assertThat(tcpProblems("{'protocol': 'greeting', 'texts': {'welcome': 'Hi {count}'}}")).containsExactly(
      "conf/config.json: tcp[0].texts.welcome may contain only {client} as placeholder, found {count} (was \"Hi {count}\")");
  }

  @Test
  @DisplayName("the answer text may contain only the {count} placeholder")
  void answerPlaceholders() {
    assertThat(tcpProblems("{'protocol': 'greeting', 'texts': {'answer': '{client} sent {count}'}}")).containsExactly(
      "conf/config.json: tcp[0].texts.answer may contain only {count} as placeholder, found {client} (was \"{client} sent {count}\")");
  }

  @Test
  @DisplayName("the prompt text may contain no placeholder")
  void promptPlaceholders() {
    assertThat(tcpProblems("{'protocol': 'greeting', 'texts': {'prompt': '{client}> '}}")).containsExactly(
      "conf/config.json: tcp[0].texts.prompt must not contain placeholders, found {client} (was \"{client}> \")");
  }

  // --- UDP instances and blocked source ports

  @Test
  @DisplayName("more than one UDP socket needs reusePort")
  void udpInstancesNeedReusePort() {
    assertThat(problems(withUdp(udpListener("{'instances': 2}")).put("transport", "epoll"))).containsExactly(
      "conf/config.json: udp[0].instances must be 1 unless socket.reusePort is true on a native transport (epoll or io_uring):"
        + " only SO_REUSEPORT lets several sockets share one UDP port (was 2)");
  }

  @Test
  @DisplayName("more than one UDP socket with reusePort is fine on a native transport")
  void udpInstancesWithReusePort() {
    NetserverConfig config = read(withUdp(udpListener("{'instances': 4, 'socket': {'reusePort': true}}")).put("transport", "io_uring"));
    assertThat(config.udp().get(0).instances()).isEqualTo(4);
  }

  @Test
  @DisplayName("more than one UDP socket is refused on NIO even with reusePort")
  void udpInstancesNotOnNio() {
    assertThat(problems(withUdp(udpListener("{'instances': 2, 'socket': {'reusePort': true}}")).put("transport", "nio")))
      .contains("conf/config.json: udp[0].instances must be 1 unless socket.reusePort is true on a native transport (epoll or io_uring):"
        + " only SO_REUSEPORT lets several sockets share one UDP port (was 2)");
  }

  @Test
  @DisplayName("blockedSourcePorts is read as ports and ranges, and the empty string blocks none")
  void blockedSourcePorts() {
    assertThat(read(withUdp(udpListener("{'blockedSourcePorts': '7, 19-20'}"))).udp().get(0).blockedSourcePorts())
      .isEqualTo(PortSet.parse("7,19,20"));
    assertThat(read(withUdp(udpListener("{'blockedSourcePorts': ''}"))).udp().get(0).blockedSourcePorts().isEmpty()).isTrue();
  }

  @Test
  @DisplayName("a malformed blockedSourcePorts is reported with what is wrong in it")
  void blockedSourcePortsMalformed() {
    assertThat(udpProblems("{'blockedSourcePorts': '1024-1'}")).containsExactly(
      "conf/config.json: udp[0].blockedSourcePorts must be ports and ranges like \"0-1023,2049\" or \"\" for none:"
        + " range \"1024-1\" runs backwards (was \"1024-1\")");
  }

  @Test
  @DisplayName("every problem of a blockedSourcePorts value is reported, one line each, with the whole value")
  void blockedSourcePortsEveryProblem() {
    String rule = "conf/config.json: udp[0].blockedSourcePorts must be ports and ranges like \"0-1023,2049\" or \"\" for none: ";
    assertThat(udpProblems("{'blockedSourcePorts': '22,x,1024-1,70000'}")).containsExactly(
      rule + "\"x\" is not a port (was \"22,x,1024-1,70000\")",
      rule + "range \"1024-1\" runs backwards (was \"22,x,1024-1,70000\")",
      rule + "70000 is not a port (0..65535) (was \"22,x,1024-1,70000\")");
  }

  // --- what the records give the verticles

  @Test
  @DisplayName("a TCP listener's server options carry its backlog and socket options, and no idle timeout (the listener sweeps)")
  void netServerOptions() {
    TcpListenerConfig listener = read(withTcp(tcpListener(
      "{'backlog': 16, 'idleTimeoutSeconds': 7, 'socket': {'keepAlive': true, 'tcpNoDelay': false, 'soLinger': 3}}"))).tcp().get(0);
    NetServerOptions options = listener.netServerOptions();
    assertThat(options.getAcceptBacklog()).isEqualTo(16);
    assertThat(options.getIdleTimeout()).isZero();
    assertThat(options.isTcpKeepAlive()).isTrue();
    assertThat(options.isTcpNoDelay()).isFalse();
    assertThat(options.getSoLinger()).isEqualTo(3);
  }

  // --- engine

  @Test
  @DisplayName("engine defaults to auto, which picks direct while nothing asks for vertx")
  void engineDefault() {
    TcpListenerConfig listener = read(withTcp(tcpListener("{}"))).tcp().get(0);
    assertThat(listener.engine()).isEqualTo(Engine.AUTO);
    assertThat(listener.engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("engine vertx and direct are taken as given")
  void engineChosen() {
    assertThat(read(withTcp(tcpListener("{'engine': 'vertx'}"))).tcp().get(0).engineInUse()).isEqualTo(Engine.VERTX);
    assertThat(read(withTcp(tcpListener("{'engine': 'direct'}"))).tcp().get(0).engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("an unknown engine is a problem that lists the engines")
  void engineUnknown() {
    assertThat(tcpProblems("{'engine': 'netty'}")).containsExactly(
      "conf/config.json: tcp[0].engine must be one of auto, vertx, direct (was \"netty\")");
  }
}
