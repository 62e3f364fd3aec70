package dev.netserver.cluster;

import com.hazelcast.config.Config;
import dev.netserver.config.ClusterConfig;
import dev.netserver.config.ConfigException;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("The Hazelcast configuration for -cluster")
class ClusterSetupTest {

  private static final Path SHIPPED = Path.of("conf/cluster.xml");

  @TempDir
  Path dir;

  private static Config load(Path file) {
    return ClusterSetup.load(new ClusterSetup.Source(file.toString(), file));
  }

  private static String problem(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(file));
    assertThat(e).as("a ConfigException for " + file).isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  private Path xml(String name, String body) throws IOException {
    return Files.writeString(dir.resolve(name), "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\">\n" + body + "\n</hazelcast>\n");
  }

  @Test
  @DisplayName("the shipped conf/cluster.xml stays on loopback: tcp-ip join on 127.0.0.1, no multicast or auto-detection, no bind to every address, no phone-home, logging through SLF4J")
  void shippedIsLoopback() {
    Config config = load(SHIPPED);
    assertThat(config.getClusterName()).isEqualTo("netserver");
    var join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.isAutoDetectionEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(ClusterSetup.describe(config))
      .isEqualTo("cluster name netserver, join tcp-ip [127.0.0.1], interfaces [127.0.0.1], port 5701+");
    assertThat(ClusterSetup.searchesByMulticast(config)).isFalse();
  }

  @Test
  @DisplayName("the jar carries the same file as cluster.xml, for -cluster outside the project directory")
  void builtInIsShippedCopy() throws IOException {
    try (InputStream in = ClusterSetup.class.getClassLoader().getResourceAsStream(ClusterSetup.BUILT_IN)) {
      assertThat(in).as("cluster.xml on the class path").isNotNull();
      assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(SHIPPED));
    }
    assertThat(ClusterSetup.describe(ClusterSetup.load(ClusterSetup.Source.builtIn()))).startsWith("cluster name netserver, join tcp-ip [127.0.0.1]");
  }

  @Test
  @DisplayName("uses the file cluster.config names, else conf/cluster.xml when it exists, else the built-in copy")
  void choice() throws IOException {
    assertThat(ClusterSetup.choose(new ClusterConfig("other/prod.xml"), dir))
      .isEqualTo(new ClusterSetup.Source("other/prod.xml", dir.resolve("other/prod.xml")));
    assertThat(ClusterSetup.choose(ClusterConfig.DEFAULT, dir)).isEqualTo(ClusterSetup.Source.builtIn());
    assertThat(ClusterSetup.Source.builtIn().name()).isEqualTo("cluster.xml built into netserver.jar (a copy of conf/cluster.xml)");
    Files.createDirectories(dir.resolve("conf"));
    Files.copy(SHIPPED, dir.resolve("conf/cluster.xml"));
    assertThat(ClusterSetup.choose(ClusterConfig.DEFAULT, dir))
      .isEqualTo(new ClusterSetup.Source("conf/cluster.xml", dir.resolve("conf/cluster.xml")));
  }

  @Test
  @DisplayName("a named file that does not exist is one line naming it, never Hazelcast's multicast default")
  void missing() {
    Path missing = dir.resolve("cluster-prod.xml");
    assertThat(problem(missing)).isEqualTo(missing + ": cannot read the Hazelcast configuration: it does not exist");
  }

  @Test
  @DisplayName("a directory is one line saying so")
  void directory() {
    assertThat(problem(dir)).isEqualTo(dir + ": cannot read the Hazelcast configuration: it is a directory");
  }

  @Test
  @DisplayName("XML that is not well formed is one line naming the file and the parser's reason")
  void notWellFormed() throws IOException {
    Path file = Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network></hazelcast>");
    assertThat(problem(file)).startsWith(file + ": is not a valid Hazelcast configuration: ")
      .contains("network");
  }

  @Test
  @DisplayName("an element Hazelcast does not know is one line naming the file")
  void unknownElement() throws IOException {
    Path file = xml("typo.xml", "<netwrok/>");
    assertThat(problem(file)).startsWith(file + ": is not a valid Hazelcast configuration: ").contains("netwrok");
  }

  @Test
  @DisplayName("two join methods at once are refused up front, not when the node joins")
  void twoJoins() throws IOException {
    Path file = xml("two.xml", """
      <network><join>
        <multicast enabled="true"/>
        <tcp-ip enabled="true"><member>127.0.0.1</member></tcp-ip>
      </join></network>""");
    assertThat(problem(file)).isEqualTo(file + ": is not a valid Hazelcast configuration: Only one discovery method can be"
      + " enabled at a time. Keep only one of the following method enabled by removing the others from the configuration,"
      + " or setting enabled to 'false': TCP/IP, Multicast");
  }

  @Test
  @DisplayName("a file that leaves <join> out is accepted, and known to search the network (auto-detection)")
  void multicastByOmission() throws IOException {
    Config config = load(xml("bare.xml", "<cluster-name>x</cluster-name>"));
    assertThat(ClusterSetup.searchesByMulticast(config)).isTrue();
    assertThat(ClusterSetup.describe(config)).isEqualTo("cluster name x, join auto-detection, interfaces all, port 5701+");
    Config multicast = load(xml("multicast.xml", "<network><join><multicast enabled=\"true\"/></join></network>"));
    assertThat(ClusterSetup.searchesByMulticast(multicast)).isTrue();
    assertThat(ClusterSetup.describe(multicast)).startsWith("cluster name dev, join multicast 224.2.2.3:54327,");
  }

  @Test
  @DisplayName("reads YAML when the file ends in .yaml or .yml")
  void yaml() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.yaml"), """
      hazelcast:
        cluster-name: from-yaml
        network:
          join:
            multicast:
              enabled: false
            tcp-ip:
              enabled: true
              member-list:
                - 10.0.0.1
                - 10.0.0.2
      """);
    assertThat(ClusterSetup.describe(load(file))).startsWith("cluster name from-yaml, join tcp-ip [10.0.0.1, 10.0.0.2]");
  }

  @Test
  @DisplayName("-options with an eventBusOptions object get Vert.x's defaults for what they leave out (Vert.x 5.0.7 leaves them at 0)")
  void eventBusDefaults() {
    JsonObject given = new JsonObject().put("eventBusOptions", new JsonObject().put("ssl", true).put("port", 5710));
    EventBusOptions options = new VertxOptions(ClusterSetup.withEventBusDefaults(given)).getEventBusOptions();
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getPort()).isEqualTo(5710);
    assertThat(options.getReconnectInterval()).isEqualTo(EventBusOptions.DEFAULT_RECONNECT_INTERVAL);
    assertThat(options.getConnectTimeout()).isEqualTo(EventBusOptions.DEFAULT_CONNECT_TIMEOUT);
    assertThat(options.getClusterPingInterval()).isEqualTo(EventBusOptions.DEFAULT_CLUSTER_PING_INTERVAL);
    assertThat(given.getJsonObject("eventBusOptions").size()).as("the caller's object is left alone").isEqualTo(2);
    JsonObject none = new JsonObject().put("eventLoopPoolSize", 2);
    assertThat(ClusterSetup.withEventBusDefaults(none)).isSameAs(none);
    assertThat(ClusterSetup.withEventBusDefaults(null)).isNull();
  }
}
