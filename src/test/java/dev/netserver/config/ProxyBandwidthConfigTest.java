package dev.netserver.config;

import io.vertx.core.net.NetServerOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.withTcp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("proxyProtocol and bandwidth settings (issue 12)")
class ProxyBandwidthConfigTest {

  private static TcpListenerConfig tcp(String overrides) {
    return read(withTcp(tcpListener(overrides))).tcp().get(0);
  }

  @Test
  @DisplayName("without the keys: no PROXY header, no limit, and the direct engine")
  void defaults() {
    TcpListenerConfig t = tcp("{}");
    assertThat(t.proxyProtocol()).isEqualTo(ProxyProtocolConfig.OFF);
    assertThat(t.bandwidth()).isEqualTo(BandwidthConfig.UNLIMITED);
    assertThat(t.engineInUse()).isEqualTo(Engine.DIRECT);
    NetServerOptions o = t.netServerOptions();
    assertThat(o.isUseProxyProtocol()).isFalse();
    assertThat(o.getTrafficShapingOptions()).isNull();
  }

  @Test
  @DisplayName("proxyProtocol is read, timeoutSeconds defaults to 5, and Vert.x gets it; auto picks the vertx engine")
  void proxyProtocol() {
    TcpListenerConfig t = tcp("{'proxyProtocol': {'enabled': true, 'trustedSources': ['10.0.0.5', '10.0.1.0/24']}}");
    assertThat(t.proxyProtocol()).isEqualTo(new ProxyProtocolConfig(true,
      List.of(Cidr.parse("10.0.0.5"), Cidr.parse("10.0.1.0/24")), 5));
    assertThat(t.vertxOnlySettings()).containsExactly("proxyProtocol");
    assertThat(t.engineInUse()).isEqualTo(Engine.VERTX);
    NetServerOptions o = t.netServerOptions();
    assertThat(o.isUseProxyProtocol()).isTrue();
    assertThat(o.getProxyProtocolTimeoutUnit().toSeconds(o.getProxyProtocolTimeout())).isEqualTo(5);
    assertThat(tcp("{'proxyProtocol': {'enabled': true, 'trustedSources': ['::1'], 'timeoutSeconds': 2}}")
      .netServerOptions().getProxyProtocolTimeout()).isEqualTo(2);
  }

  @Test
  @DisplayName("proxyProtocol with enabled false is off (trustedSources may stay written)")
  void proxyProtocolDisabled() {
    TcpListenerConfig t = tcp("{'proxyProtocol': {'enabled': false, 'trustedSources': ['10.0.0.5']}}");
    assertThat(t.proxyProtocol().enabled()).isFalse();
    assertThat(t.engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("enabled without trustedSources, or with an empty list, is an error that says why")
  void trustedSourcesRequired() {
    String why = "conf/config.json: tcp[0].proxyProtocol.trustedSources is required when proxyProtocol is enabled";
    assertThat(tcpProblems("{'proxyProtocol': {'enabled': true}}")).singleElement().asString().startsWith(why);
    assertThat(tcpProblems("{'proxyProtocol': {'enabled': true, 'trustedSources': []}}")).singleElement().asString().startsWith(why);
  }

  @Test
  @DisplayName("bad values and unknown keys are errors naming their path")
  void badValues() {
    assertThat(tcpProblems("{'proxyProtocol': {'enabled': true, 'trustedSources': ['example.com'], 'timeoutSeconds': 0, 'enable': 1}}"))
      .hasSize(3)
      .anyMatch(p -> p.startsWith("conf/config.json: tcp[0].proxyProtocol.trustedSources[0] must be a network"))
      .anyMatch(p -> p.startsWith("conf/config.json: tcp[0].proxyProtocol.timeoutSeconds must be an integer in 1..3600"))
      .anyMatch(p -> p.startsWith("conf/config.json: tcp[0].proxyProtocol.enable is not a known key (did you mean \"enabled\"?)"));
    assertThat(tcpProblems("{'bandwidth': {'inboundBytesPerSecond': -1, 'outbound': 5}}"))
      .hasSize(2)
      .anyMatch(p -> p.startsWith("conf/config.json: tcp[0].bandwidth.inboundBytesPerSecond must be an integer in 0..2147483647"))
      .anyMatch(p -> p.startsWith("conf/config.json: tcp[0].bandwidth.outbound is not a known key"));
  }

  @Test
  @DisplayName("the direct engine with proxyProtocol or bandwidth is an error")
  void directCannot() {
    assertThat(tcpProblems("{'engine': 'direct', 'proxyProtocol': {'enabled': true, 'trustedSources': ['10.0.0.5']},"
      + " 'bandwidth': {'outboundBytesPerSecond': 1000}}")).containsExactly(
      "conf/config.json: tcp[0].proxyProtocol needs \"engine\": \"vertx\" (or \"auto\"); the \"direct\" engine cannot honour it",
      "conf/config.json: tcp[0].bandwidth needs \"engine\": \"vertx\" (or \"auto\"); the \"direct\" engine cannot honour it");
  }

  @Test
  @DisplayName("bandwidth is read and becomes Vert.x's traffic shaping; auto picks the vertx engine")
  void bandwidth() {
    TcpListenerConfig t = tcp("{'bandwidth': {'inboundBytesPerSecond': 2000000, 'outboundBytesPerSecond': 1000000}}");
    assertThat(t.bandwidth()).isEqualTo(new BandwidthConfig(2_000_000, 1_000_000));
    assertThat(t.engineInUse()).isEqualTo(Engine.VERTX);
    assertThat(t.vertxOnlySettings()).containsExactly("bandwidth");
    assertThat(t.netServerOptions().getTrafficShapingOptions().getInboundGlobalBandwidth()).isEqualTo(2_000_000);
    assertThat(t.netServerOptions().getTrafficShapingOptions().getOutboundGlobalBandwidth()).isEqualTo(1_000_000);
    // Vert.x's JSON conversion loses these unless restated (a null unit fails the listen)
    assertThat(t.netServerOptions().getTrafficShapingOptions().getMaxDelayToWaitTimeUnit()).isNotNull();
    assertThat(t.netServerOptions().getTrafficShapingOptions().getCheckIntervalForStatsTimeUnit()).isNotNull();
    assertThat(tcp("{'bandwidth': {'inboundBytesPerSecond': 0}}").engineInUse()).isEqualTo(Engine.DIRECT);
  }

  @Test
  @DisplayName("a listener bound to several addresses (a NetServer and a shaper each) splits its limit among them")
  void bandwidthSplitAmongAddresses() {
    TcpListenerConfig t = tcp("{'bandwidth': {'inboundBytesPerSecond': 2000000, 'outboundBytesPerSecond': 0}}")
      .withInstances(4);
    Binding two = new Binding(null, "lo", List.of("127.0.0.1", "::1"), 0);
    TcpListenerConfig both = t.withBinding(two);
    assertThat(t.netServerOptions().getTrafficShapingOptions().getInboundGlobalBandwidth()).as("one address, 4 instances")
      .isEqualTo(2_000_000);
    assertThat(both.netServerOptions().getTrafficShapingOptions().getInboundGlobalBandwidth()).isEqualTo(1_000_000);
    assertThat(both.netServerOptions().getTrafficShapingOptions().getOutboundGlobalBandwidth()).isZero();
  }
}
