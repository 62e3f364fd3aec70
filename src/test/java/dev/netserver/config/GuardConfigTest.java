package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.List;

import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.udpListener;
import static dev.netserver.config.Configs.udpProblems;
import static dev.netserver.config.Configs.withTcp;
import static dev.netserver.config.Configs.withUdp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Guard settings: limits, allow/deny, lineTimeoutSeconds, texts.refused (issue 11)")
class GuardConfigTest {

  private static final String ECHO_ONLY = " applies only to protocol \"greeting\" (this listener's protocol is \"echo\")";

  private static TcpListenerConfig tcp(String overrides) {
    return read(withTcp(tcpListener(overrides))).tcp().get(0);
  }

  private static UdpListenerConfig udp(String overrides) {
    return read(withUdp(udpListener(overrides))).udp().get(0);
  }

  private static List<Cidr> cidrs(String... texts) {
    return java.util.Arrays.stream(texts).map(Cidr::parse).toList();
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  // --- defaults

  @Test
  @DisplayName("a TCP listener without guard keys gets the issue's defaults")
  void tcpDefaults() {
    TcpListenerConfig t = tcp("{'protocol': 'greeting'}");
    assertThat(t.guard()).isEqualTo(TcpGuard.DEFAULT);
    TcpLimits l = t.guard().limits();
    assertThat(l.maxConnections()).isEqualTo(10_000);
    assertThat(l.maxConnectionsPerSource()).isZero();
    assertThat(l.connectionsPerSecond()).isZero();
    assertThat(l.connectionsPerSecondPerSource()).isZero();
    assertThat(l.exempt()).isEqualTo(cidrs("127.0.0.0/8", "::1/128"));
    assertThat(l.maxBufferedBytes()).isEqualTo(64 << 20);
    assertThat(t.guard().access().isOpen()).isTrue();
    assertThat(t.guard().lineTimeoutSeconds()).isEqualTo(30);
    assertThat(t.texts().refused()).isEmpty();
  }

  @Test
  @DisplayName("a UDP listener without limits gets 1000 datagrams/s per source, no overall rate, loopback exempt")
  void udpDefaults() {
    UdpLimits l = udp("{}").limits();
    assertThat(l).isEqualTo(UdpLimits.DEFAULT);
    assertThat(l.datagramsPerSecondPerSource()).isEqualTo(1000);
    assertThat(l.datagramsPerSecond()).isZero();
    assertThat(l.burstFor(1000)).as("burst defaults to one second of the rate").isEqualTo(1000);
    assertThat(l.exempt()).isEqualTo(cidrs("127.0.0.0/8", "::1/128"));
  }

  @Test
  @DisplayName("the listeners tools build in code get the same defaults")
  void builtDefaults() {
    Binding b = udp("{}").binding();
    assertThat(TcpListenerConfig.of("t", TcpProtocol.ECHO, b).guard()).isEqualTo(TcpGuard.DEFAULT);
    assertThat(UdpListenerConfig.of("u", b).limits()).isEqualTo(UdpLimits.DEFAULT);
  }

  // --- TCP limits read

  @Test
  @DisplayName("every TCP limit is read")
  void tcpLimitsRead() {
    TcpLimits l = tcp("{'protocol': 'greeting', 'limits': {'maxConnections': 500, 'maxConnectionsPerSource': 20,"
      + " 'connectionsPerSecond': 200, 'connectionsPerSecondPerSource': 10, 'burst': 30, 'exempt': ['10.0.0.0/8'],"
      + " 'maxBufferedBytes': 1048576}}").guard().limits();
    assertThat(l).isEqualTo(new TcpLimits(500, 20, 200, 10, 30, cidrs("10.0.0.0/8"), 1 << 20));
    assertThat(l.burstFor(200)).isEqualTo(30);
  }

  @Test
  @DisplayName("0 turns each TCP limit off, and exempt may be empty")
  void tcpLimitsOff() {
    TcpLimits l = tcp("{'protocol': 'greeting', 'limits': {'maxConnections': 0, 'maxBufferedBytes': 0, 'exempt': []}}")
      .guard().limits();
    assertThat(l).isEqualTo(new TcpLimits(0, 0, 0, 0, 0, List.of(), 0));
  }

  @Test
  @DisplayName("without burst, each bucket holds one second of its own rate")
  void burstDefault() {
    TcpLimits l = tcp("{'limits': {'connectionsPerSecond': 100, 'connectionsPerSecondPerSource': 5}}").guard().limits();
    assertThat(l.burstFor(l.connectionsPerSecond())).isEqualTo(100);
    assertThat(l.burstFor(l.connectionsPerSecondPerSource())).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
    "maxConnections|-1|must be an integer in 0..10000000 (0 = no limit)",
    "maxConnections|10000001|must be an integer in 0..10000000 (0 = no limit)",
    "maxConnections|[1000]|must be an integer in 0..10000000 (0 = no limit)",
    "maxConnectionsPerSource|-1|must be an integer in 0..10000000 (0 = no limit)",
    "connectionsPerSecond|1000001|must be an integer in 0..1000000 (0 = off)",
    "connectionsPerSecond|1.5|must be an integer in 0..1000000 (0 = off)",
    "connectionsPerSecondPerSource|-5|must be an integer in 0..1000000 (0 = off)",
    "burst|0|must be an integer in 1..1000000",
    "maxBufferedBytes|-1|must be an integer in 0..2147483647 (0 = no limit)",
    "maxBufferedBytes|true|must be an integer in 0..2147483647 (0 = no limit)"})
  @DisplayName("a TCP limit out of range or of the wrong type is reported with its path, rule and value")
  void tcpLimitOutOfRange(String key, String value, String rule) {
    String extra = key.equals("burst") ? ", 'connectionsPerSecond': 10" : "";
    assertThat(tcpProblems("{'protocol': 'greeting', 'limits': {'" + key + "': " + value + extra + "}}")).containsExactly(
      "conf/config.json: tcp[0].limits." + key + " " + rule + " (was " + value.replace('\'', '"') + ")");
  }

  @Test
  @DisplayName("limits must be an object, and its unknown keys get a did-you-mean")
  void limitsShape() {
    assertThat(tcpProblems("{'limits': 5}")).containsExactly("conf/config.json: tcp[0].limits must be an object (was 5)");
    assertThat(tcpProblems("{'limits': {'maxConections': 5}}")).containsExactly(
      "conf/config.json: tcp[0].limits.maxConections is not a known key (did you mean \"maxConnections\"?)");
    assertThat(udpProblems("{'limits': {'datagramsPerSecnd': 5}}")).containsExactly(
      "conf/config.json: udp[0].limits.datagramsPerSecnd is not a known key (did you mean \"datagramsPerSecond\"?)");
  }

  // --- TCP cross-checks

  @Test
  @DisplayName("maxConnectionsPerSource may not exceed maxConnections (when both are on)")
  void perSourceAboveTotal() {
    assertThat(tcpProblems("{'limits': {'maxConnections': 100, 'maxConnectionsPerSource': 101}}")).containsExactly(
      "conf/config.json: tcp[0].limits.maxConnectionsPerSource must not exceed maxConnections (100), or one source"
        + " alone could never reach it (was 101)");
    assertThat(tcp("{'limits': {'maxConnections': 0, 'maxConnectionsPerSource': 101}}").guard().limits()
      .maxConnectionsPerSource()).isEqualTo(101);
    assertThat(tcp("{'limits': {'maxConnections': 100, 'maxConnectionsPerSource': 100}}").guard().limits()
      .maxConnectionsPerSource()).isEqualTo(100);
  }

  @Test
  @DisplayName("connectionsPerSecondPerSource may not exceed connectionsPerSecond (when both are on)")
  void perSourceRateAboveTotal() {
    assertThat(tcpProblems("{'limits': {'connectionsPerSecond': 10, 'connectionsPerSecondPerSource': 11}}")).containsExactly(
      "conf/config.json: tcp[0].limits.connectionsPerSecondPerSource must not exceed connectionsPerSecond (10), or one"
        + " source alone could never reach it (was 11)");
  }

  @Test
  @DisplayName("burst without a rate is a mistake, on TCP and UDP")
  void burstWithoutRate() {
    assertThat(tcpProblems("{'limits': {'burst': 10}}")).containsExactly(
      "conf/config.json: tcp[0].limits.burst has no effect: neither connectionsPerSecond nor connectionsPerSecondPerSource"
        + " is set (a burst is the size of their token buckets)");
    assertThat(udpProblems("{'limits': {'burst': 10, 'datagramsPerSecondPerSource': 0}}")).containsExactly(
      "conf/config.json: udp[0].limits.burst has no effect: neither datagramsPerSecond nor datagramsPerSecondPerSource"
        + " is set (a burst is the size of their token buckets)");
    assertThat(udp("{'limits': {'burst': 10}}").limits().burst()).as("the default per-source rate is a rate").isEqualTo(10);
  }

  @Test
  @DisplayName("maxBufferedBytes below maxLineBytes is a mistake: no client could send a longest line")
  void bufferedBelowLine() {
    assertThat(tcpProblems("{'protocol': 'greeting', 'maxLineBytes': 1000, 'limits': {'maxBufferedBytes': 999}}"))
      .containsExactly("conf/config.json: tcp[0].limits.maxBufferedBytes must be at least maxLineBytes (1000), or no"
        + " client could send a line of the longest length allowed (was 999)");
    assertThat(tcp("{'protocol': 'greeting', 'maxLineBytes': 1000, 'limits': {'maxBufferedBytes': 1000}}")
      .guard().limits().maxBufferedBytes()).isEqualTo(1000);
  }

  @Test
  @DisplayName("lineTimeoutSeconds, texts of the greeting and limits.maxBufferedBytes are refused on an echo listener")
  void greetingOnlyOnEcho() {
    assertThat(tcpProblems("{'protocol': 'echo', 'lineTimeoutSeconds': 5, 'limits': {'maxBufferedBytes': 100000},"
      + " 'texts': {'welcome': 'Hi', 'answer': 'ok'}}")).containsExactly(
      "conf/config.json: tcp[0].lineTimeoutSeconds" + ECHO_ONLY,
      "conf/config.json: tcp[0].texts.welcome" + ECHO_ONLY,
      "conf/config.json: tcp[0].texts.answer" + ECHO_ONLY,
      "conf/config.json: tcp[0].limits.maxBufferedBytes" + ECHO_ONLY);
  }

  @Test
  @DisplayName("an echo listener takes every other limit, allow, deny and texts.refused")
  void echoTakesTheRest() {
    TcpListenerConfig t = tcp("{'protocol': 'echo', 'limits': {'maxConnections': 5, 'maxConnectionsPerSource': 2,"
      + " 'connectionsPerSecond': 3, 'burst': 1}, 'allow': ['10.0.0.0/8'], 'deny': ['10.6.0.0/16'],"
      + " 'texts': {'refused': 'Busy.'}}");
    assertThat(t.guard().limits().maxConnections()).isEqualTo(5);
    assertThat(t.guard().access()).isEqualTo(new AccessList(cidrs("10.0.0.0/8"), cidrs("10.6.0.0/16")));
    assertThat(t.texts().refused()).isEqualTo("Busy.");
  }

  // --- lineTimeoutSeconds, texts.refused

  @Test
  @DisplayName("lineTimeoutSeconds is read, 0 = no deadline, and out of range is reported")
  void lineTimeout() {
    assertThat(tcp("{'protocol': 'greeting', 'lineTimeoutSeconds': 5}").guard().lineTimeoutSeconds()).isEqualTo(5);
    assertThat(tcp("{'protocol': 'greeting', 'lineTimeoutSeconds': 0}").guard().lineTimeoutSeconds()).isZero();
    assertThat(tcpProblems("{'protocol': 'greeting', 'lineTimeoutSeconds': 86401}")).containsExactly(
      "conf/config.json: tcp[0].lineTimeoutSeconds must be an integer in 0..86400 (0 = no deadline) (was 86401)");
  }

  @Test
  @DisplayName("texts.refused is a string without placeholders")
  void refusedText() {
    assertThat(tcp("{'protocol': 'greeting', 'texts': {'refused': 'Server busy.'}}").texts())
      .isEqualTo(GreetingTexts.DEFAULT.withRefused("Server busy."));
    assertThat(tcpProblems("{'texts': {'refused': 'Go away {client}'}}")).containsExactly(
      "conf/config.json: tcp[0].texts.refused must not contain placeholders, found {client} (was \"Go away {client}\")");
    assertThat(tcpProblems("{'texts': {'refused': 3}}")).containsExactly(
      "conf/config.json: tcp[0].texts.refused must be a string (was 3)");
  }

  // --- allow / deny / exempt

  @Test
  @DisplayName("allow and deny: deny first, then allow; an empty allow admits everyone not denied")
  void accessOrder() throws Exception {
    AccessList a = tcp("{'allow': ['10.0.0.0/8', '2001:db8::/32'], 'deny': ['10.9.0.0/16']}").guard().access();
    assertThat(a.admits(ip("10.1.2.3"))).isTrue();
    assertThat(a.admits(ip("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
    assertThat(a.admits(ip("10.9.2.3"))).as("denied inside allowed").isFalse();
    assertThat(a.admits(ip("2001:db8::7"))).isTrue();
    assertThat(a.admits(ip("192.0.2.1"))).as("not in allow").isFalse();
    AccessList denyOnly = tcp("{'deny': ['192.0.2.0/24']}").guard().access();
    assertThat(denyOnly.admits(ip("192.0.2.1"))).isFalse();
    assertThat(denyOnly.admits(ip("198.51.100.1"))).isTrue();
  }

  @Test
  @DisplayName("an allow entry inside a deny entry admits no one, and is reported")
  void allowInsideDeny() {
    assertThat(tcpProblems("{'allow': ['192.0.2.0/24', '10.1.0.0/16'], 'deny': ['10.0.0.0/8']}")).containsExactly(
      "conf/config.json: tcp[0].allow[1] admits no one: it lies inside tcp[0].deny[0] (10.0.0.0/8), and deny is checked"
        + " first (was \"10.1.0.0/16\")");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
    "allow|10.0.0.0/33|its prefix length after / must be 0..32 for an IPv4 address",
    "deny|::1/129|its prefix length after / must be 0..128 for an IPv6 address",
    "allow|gateway.example.com|\"gateway.example.com\" is not an IP address (host names are not allowed)",
    "deny|''|is empty",
    "limits.exempt|10.0.0.1/8|has bits set after its first 8: the network is 10.0.0.0/8"})
  @DisplayName("a bad network is reported with its element's path, the rule and why")
  void badCidr(String key, String value, String why) {
    String text = value.equals("''") ? "" : value;
    String listener = key.startsWith("limits.")
      ? "{'limits': {'exempt': ['127.0.0.0/8', '" + text + "']}}"
      : "{'" + key + "': ['127.0.0.0/8', '" + text + "']}";
    assertThat(tcpProblems(listener)).containsExactly("conf/config.json: tcp[0]." + key + "[1] must be a network like"
      + " \"10.0.0.0/8\" or \"2001:db8::/32\", or one address, but " + why + " (was \"" + text + "\")");
  }

  @Test
  @DisplayName("every bad element of a list is reported, and a list of the wrong type too")
  void cidrListShape() {
    assertThat(tcpProblems("{'allow': '10.0.0.0/8', 'deny': [5, 'x']}")).containsExactly(
      "conf/config.json: tcp[0].allow must be an array of networks like [\"10.0.0.0/8\", \"2001:db8::/32\"] (was \"10.0.0.0/8\")",
      "conf/config.json: tcp[0].deny[0] must be a network like \"10.0.0.0/8\" or \"2001:db8::/32\", or one address (was 5)",
      "conf/config.json: tcp[0].deny[1] must be a network like \"10.0.0.0/8\" or \"2001:db8::/32\", or one address, but"
        + " \"x\" is not an IP address (host names are not allowed) (was \"x\")");
  }

  @Test
  @DisplayName("exempt holds addresses out of per-source limits; [] exempts no one")
  void exempt() throws Exception {
    TcpLimits defaults = tcp("{}").guard().limits();
    assertThat(defaults.isExempt(ip("127.0.0.2"))).isTrue();
    assertThat(defaults.isExempt(ip("::1"))).isTrue();
    assertThat(defaults.isExempt(ip("192.0.2.1"))).isFalse();
    assertThat(tcp("{'limits': {'exempt': []}}").guard().limits().isExempt(ip("127.0.0.1"))).isFalse();
    assertThat(udp("{'limits': {'exempt': ['192.0.2.0/24']}}").limits().isExempt(ip("192.0.2.9"))).isTrue();
    assertThat(udp("{'limits': {'exempt': []}}").limits().isExempt(ip("127.0.0.1"))).isFalse();
  }

  // --- UDP limits

  @Test
  @DisplayName("every UDP limit is read, 0 turns a rate off")
  void udpLimitsRead() {
    assertThat(udp("{'limits': {'datagramsPerSecondPerSource': 50, 'datagramsPerSecond': 5000, 'burst': 100,"
      + " 'exempt': ['::1/128']}}").limits()).isEqualTo(new UdpLimits(50, 5000, 100, cidrs("::1/128")));
    assertThat(udp("{'limits': {'datagramsPerSecondPerSource': 0}}").limits().datagramsPerSecondPerSource()).isZero();
  }

  @Test
  @DisplayName("a UDP rate out of range is reported; a per-source rate above the overall one too, when written")
  void udpLimitRules() {
    assertThat(udpProblems("{'limits': {'datagramsPerSecond': -1, 'datagramsPerSecondPerSource': 10000001}}")).containsExactly(
      "conf/config.json: udp[0].limits.datagramsPerSecondPerSource must be an integer in 0..10000000 (0 = off) (was 10000001)",
      "conf/config.json: udp[0].limits.datagramsPerSecond must be an integer in 0..10000000 (0 = off) (was -1)");
    assertThat(udpProblems("{'limits': {'datagramsPerSecond': 100, 'datagramsPerSecondPerSource': 200}}")).containsExactly(
      "conf/config.json: udp[0].limits.datagramsPerSecondPerSource must not exceed datagramsPerSecond (100), or one"
        + " source alone could never reach it (was 200)");
    assertThat(udp("{'limits': {'datagramsPerSecond': 100}}").limits().datagramsPerSecondPerSource())
      .as("the default per-source rate above a written overall one is no mistake").isEqualTo(1000);
  }

  @Test
  @DisplayName("TCP-only keys on a UDP listener are unknown keys")
  void udpHasNoTcpKeys() {
    assertThat(udpProblems("{'allow': ['10.0.0.0/8']}")).hasSize(1).first().asString()
      .startsWith("conf/config.json: udp[0].allow is not a known key");
  }

  @Test
  @DisplayName("every problem of the guard keys is reported at once")
  void allAtOnce() {
    assertThat(tcpProblems("{'protocol': 'greeting', 'lineTimeoutSeconds': -1, 'allow': ['300.0.0.0/8'],"
      + " 'limits': {'maxConnections': -1, 'exempt': ['::1/200']}, 'texts': {'refused': '{x}'}}")).hasSize(5);
  }
}
