package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static dev.netserver.config.Configs.SOURCE;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.udpListener;
import static dev.netserver.config.Configs.withTcp;
import static dev.netserver.config.Configs.withUdp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ConfigReader's did-you-mean")
class ConfigReaderTest {

  private static final Set<String> LISTENER_KEYS =
    new LinkedHashSet<>(List.of("name", "protocol", "host", "interface", "port", "instances", "socket"));

  @Test
  @DisplayName("the distance of a string to itself is 0, and to the empty string its length")
  void distanceBasics() {
    assertThat(ConfigReader.distance("port", "port")).isZero();
    assertThat(ConfigReader.distance("", "port")).isEqualTo(4);
    assertThat(ConfigReader.distance("port", "")).isEqualTo(4);
  }

  @Test
  @DisplayName("an insertion, a deletion and a substitution each count as one edit")
  void distanceSingleEdits() {
    assertThat(ConfigReader.distance("prt", "port")).isEqualTo(1);
    assertThat(ConfigReader.distance("poort", "port")).isEqualTo(1);
    assertThat(ConfigReader.distance("port", "part")).isEqualTo(1);
    assertThat(ConfigReader.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  @DisplayName("two swapped neighbouring letters count as one edit")
  void distanceTransposition() {
    assertThat(ConfigReader.distance("nmae", "name")).isEqualTo(1);
    assertThat(ConfigReader.distance("recieveBufferSize", "receiveBufferSize")).isEqualTo(1);
  }

  @Test
  @DisplayName("the nearest known key is suggested for a typo")
  void nearestForTypo() {
    assertThat(ConfigReader.nearest("nmae", LISTENER_KEYS)).isEqualTo("name");
    assertThat(ConfigReader.nearest("protcol", LISTENER_KEYS)).isEqualTo("protocol");
    assertThat(ConfigReader.nearest("interfce", LISTENER_KEYS)).isEqualTo("interface");
  }

  @Test
  @DisplayName("a key cut short wins over a key one edit away: prot is protocol, not port")
  void cutShortWinsOverOneEdit() {
    assertThat(ConfigReader.distance("prot", "port")).isEqualTo(1);
    assertThat(ConfigReader.nearest("prot", LISTENER_KEYS)).isEqualTo("protocol");
    assertThat(ConfigReader.nearest("prot", Set.of("port"))).isEqualTo("port");
  }

  @Test
  @DisplayName("a key cut at its end wins over one cut at its start: hostName is host, not name")
  void cutAtEndFirst() {
    assertThat(ConfigReader.nearest("hostName", LISTENER_KEYS)).isEqualTo("host");
    assertThat(ConfigReader.nearest("tcpKeepAlive", Set.of("keepAlive", "tcpNoDelay"))).isEqualTo("keepAlive");
  }

  @Test
  @DisplayName("a key that several known keys start or end with gets no guess")
  void ambiguousCutGetsNoGuess() {
    assertThat(ConfigReader.nearest("reuse", Set.of("reuseAddress", "reusePort", "broadcast"))).isNull();
    assertThat(ConfigReader.nearest("bufferSize", Set.of("sendBufferSize", "receiveBufferSize"))).isNull();
  }

  @Test
  @DisplayName("a cut of fewer than 3 letters is no hint: po is nothing, not port or protocol")
  void shortCutsIgnored() {
    assertThat(ConfigReader.nearest("po", LISTENER_KEYS)).isNull();
  }

  @Test
  @DisplayName("the edits allowed grow with the length of the word: one in four letters, two in eight")
  void editsForLength() {
    assertThat(ConfigReader.nearest("tpc", Set.of("tcp"))).isEqualTo("tcp");
    assertThat(ConfigReader.nearest("nmea", Set.of("name"))).isNull();
    assertThat(ConfigReader.nearest("shtdwn", Set.of("shutdown"))).isEqualTo("shutdown");
    assertThat(ConfigReader.nearest("id", Set.of("udp"))).isNull();
  }

  @Test
  @DisplayName("case is ignored when looking for the nearest key, and the key comes back as spelled")
  void nearestIgnoresCase() {
    assertThat(ConfigReader.nearest("PORT", LISTENER_KEYS)).isEqualTo("port");
    assertThat(ConfigReader.nearest("tcpnodelay", Set.of("tcpNoDelay", "keepAlive"))).isEqualTo("tcpNoDelay");
  }

  @Test
  @DisplayName("nothing is suggested when no known key is close")
  void nothingClose() {
    assertThat(ConfigReader.nearest("colour", LISTENER_KEYS)).isNull();
    assertThat(ConfigReader.nearest("verbose", Set.of())).isNull();
  }

  // --- against the keys the configuration really reads

  /** A configuration with {@code key} written in the object {@code where} names, and the path it has there. */
  private static final List<Place> PLACES = List.of(
    new Place("top", "", key -> new JsonObject().put(key, 1)),
    new Place("node", "node.", key -> new JsonObject().put("node", new JsonObject().put(key, 1))),
    new Place("stats", "stats.", key -> new JsonObject().put("stats", new JsonObject().put(key, 1))),
    new Place("shutdown", "shutdown.", key -> new JsonObject().put("shutdown", new JsonObject().put(key, 1))),
    new Place("cluster", "cluster.", key -> new JsonObject().put("cluster", new JsonObject().put(key, 1))),
    new Place("tcp", "tcp[0].", key -> withTcp(tcpListener("{}").put(key, 1))),
    new Place("texts", "tcp[0].texts.", key -> withTcp(tcpListener("{'protocol': 'greeting'}").put("texts", new JsonObject().put(key, "x")))),
    new Place("tcp.socket", "tcp[0].socket.", key -> withTcp(tcpListener("{}").put("socket", new JsonObject().put(key, 1)))),
    new Place("udp", "udp[0].", key -> withUdp(udpListener("{}").put(key, 1))),
    new Place("udp.socket", "udp[0].socket.", key -> withUdp(udpListener("{}").put("socket", new JsonObject().put(key, 1)))));

  private record Place(String name, String pathPrefix, Function<String, JsonObject> config) {

    static Place named(String name) {
      return PLACES.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(nullValues = "-", textBlock = """
    top,        shutdwn,           shutdown
    top,        tpc,               tcp
    top,        upd,               udp
    top,        stat,              stats
    top,        transprt,          transport
    top,        transprot,         transport
    top,        Cluster,           cluster
    top,        nodeName,          node
    top,        tcpListeners,      tcp
    top,        verbose,           -
    top,        ip,                -
    node,       nmae,              name
    stats,      publishInterval,   publishIntervalMs
    stats,      logInterval,       logIntervalSeconds
    stats,      interval,          -
    shutdown,   grace,             graceSeconds
    cluster,    confg,             config
    tcp,        prot,              protocol
    tcp,        proto,             protocol
    tcp,        prot0col,          protocol
    tcp,        protcol,           protocol
    tcp,        protocl,           protocol
    tcp,        nmae,              name
    tcp,        por,               port
    tcp,        prt,               port
    tcp,        hots,              host
    tcp,        hostName,          host
    tcp,        interfce,          interface
    tcp,        instance,          instances
    tcp,        idleTimeout,       idleTimeoutSeconds
    tcp,        maxLine,           maxLineBytes
    tcp,        text,              texts
    tcp,        sockets,           socket
    tcp,        backLog,           backlog
    tcp,        colour,            -
    texts,      welcom,            welcome
    texts,      promt,             prompt
    tcp.socket, noDelay,           tcpNoDelay
    tcp.socket, tcpnodelay,        tcpNoDelay
    tcp.socket, tcpKeepAlive,      keepAlive
    tcp.socket, linger,            soLinger
    tcp.socket, cork,              tcpCork
    tcp.socket, fastOpen,          tcpFastOpen
    tcp.socket, recieveBufferSize, receiveBufferSize
    tcp.socket, sendBuffer,        sendBufferSize
    tcp.socket, reuse,             -
    tcp.socket, tcp,               -
    udp,        prot,              protocol
    udp,        blockedPorts,      blockedSourcePorts
    udp,        maxDatagram,       maxDatagramBytes
    udp.socket, broadcst,          broadcast
    udp.socket, reuseAddr,         reuseAddress
    """)
  @DisplayName("a table of typos, each written where it belongs, gets the hint a user would want")
  void typoTable(String where, String typo, String expected) {
    Place place = Place.named(where);
    String unknown = SOURCE + ": " + place.pathPrefix() + typo + " is not a known key";
    List<String> lines = problems(place.config().apply(typo)).stream().filter(l -> l.startsWith(unknown)).toList();
    assertThat(lines).hasSize(1);
    String hint = lines.get(0).substring(unknown.length());
    if (expected != null) {
      assertThat(hint).isEqualTo(" (did you mean \"" + expected + "\"?)");
    } else {
      assertThat(hint).startsWith(" (known keys: ");
    }
  }
}
