package dev.netserver.tcp;

import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestCerts;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.Cidr;
import dev.netserver.config.ProxyProtocolConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TlsConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log of what only the vertx engine serves: a custom protocol's connections, the client behind a
 * PROXY header, and the refusals Vert.x makes before a connection is served (an untrusted or invalid PROXY
 * header, a failed TLS handshake).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The access log, vertx engine")
class AccessLogVertxTest {

  private Vertx vertx;
  private StatsProbe probe;
  private LogCapture access;
  /** A field: Vert.x 5 may close an unreferenced client mid-test. */
  private NetClient tlsClient;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new StatsProbe(vertx);
    this.access = LogCapture.of(AccessLog.LOGGER);
  }

  @AfterEach
  void tearDown() {
    access.close();
    probe.close();
  }

  private Map<String, String> onlyLine() {
    assertThat(access.events()).hasSize(1);
    return AccessLogTest.fields(access.events().get(0));
  }

  private static TcpListenerConfig upperEcho() {
    return HandlerProtocolTest.configured("{'protocol': 'handler:dev.netserver.plugins.UpperEcho', 'options': {'greeting': 'hi'}}");
  }

  @Test
  @DisplayName("a custom protocol's connection that ends: 'closed', with the bytes it wrote through its socket")
  void handlerClosed() {
    int port = TcpListeners.start(vertx, upperEcho());
    try (TestClient client = TestClient.connect(port)) {
      assertThat(client.readUntil("\n")).isEqualTo("hi\n");
      assertThat(client.send("abc").read(3)).isEqualTo("ABC");
    }
    probe.awaitCounter("custom", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("listener", "custom").containsEntry("outcome", "closed")
      .containsEntry("bytesIn", "3").containsEntry("bytesOut", "6");
  }

  @Test
  @DisplayName("a custom protocol that throws: 'error'")
  void handlerError() {
    int port = TcpListeners.start(vertx, upperEcho());
    try (TestClient client = TestClient.connect(port)) {
      client.readUntil("\n");
      assertThat(client.send("boom").readToEnd()).isEmpty();
    }
    probe.awaitCounter("custom", "connectionsClosed", 1);
    assertThat(onlyLine()).containsEntry("outcome", "error").containsEntry("bytesIn", "4");
  }

  private int proxied(String trusted) {
    return TcpListeners.start(vertx, TcpListenerConfig.of("proxied", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0))
      .withProxyProtocol(ProxyProtocolConfig.trusting(List.of(Cidr.parse(trusted))).withTimeoutSeconds(1)));
  }

  @Test
  @DisplayName("behind a trusted PROXY header the client is the one the header names")
  void clientBehindProxy() {
    int port = proxied("127.0.0.1/32");
    try (TestClient client = TestClient.connect(port)) {
      client.send("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\nhi\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(client.readToEnd()).startsWith("Welcome, 192.0.2.10:56324\n");
    }
    probe.awaitCounter("proxied", "connectionsClosed", 1);
    // the header is the listener's, not the client's: not in bytesIn
    assertThat(onlyLine()).containsEntry("client", "192.0.2.10:56324").containsEntry("outcome", "answered")
      .containsEntry("bytesIn", "3");
  }

  @Test
  @DisplayName("a PROXY header from an untrusted source: 'refused:proxyUntrusted', with the real peer as the client")
  void proxyUntrusted() {
    int port = proxied("10.0.0.0/8");
    int clientPort;
    try (TestClient client = TestClient.connect(port)) {
      clientPort = client.localPort();
      client.send("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\n".getBytes(StandardCharsets.US_ASCII));
      client.isClosedByServer();
    }
    probe.awaitCounter("proxied", "proxyUntrusted", 1);
    assertThat(onlyLine()).containsEntry("client", "127.0.0.1:" + clientPort).containsEntry("outcome", "refused:proxyUntrusted");
  }

  @Test
  @DisplayName("an invalid PROXY header: 'refused:proxyInvalid', client '-' (Vert.x reports it without the socket)")
  void proxyInvalid() {
    int port = proxied("127.0.0.1/32");
    try (TestClient client = TestClient.connect(port)) {
      client.send("PROXY TCP9 nonsense\r\n".getBytes(StandardCharsets.US_ASCII));
      client.isClosedByServer();
    }
    probe.awaitCounter("proxied", "proxyInvalid", 1);
    assertThat(onlyLine()).containsEntry("client", "-").containsEntry("outcome", "refused:proxyInvalid");
  }

  @Test
  @DisplayName("TLS: a failed handshake is 'refused:tlsHandshake'; a served client's line names the SNI it asked for")
  void tls(@TempDir Path dir) {
    TestCerts.Pair cert = new TestCerts(dir).selfSigned("server", "localhost", 0x1001);
    int port = TcpListeners.start(vertx, TcpListenerConfig.of("tls", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0))
      .withInstances(1).withTls(TlsConfig.pem(cert.certPath(), cert.keyPath())
        .withSni(Map.of("a.example", new TlsConfig.CertKey(cert.certPath(), cert.keyPath())))));
    try (TestClient plain = TestClient.connect(port)) {
      plain.send("hello\r\n".getBytes(StandardCharsets.US_ASCII));
      plain.readToEnd();
    }
    probe.awaitCounter("tls", "tlsHandshakeFailures", 1);
    assertThat(onlyLine()).containsEntry("client", "-").containsEntry("outcome", "refused:tlsHandshake");

    tlsClient = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
    NetSocket socket = await(tlsClient.connect(new ConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
      .setSniServerName("a.example")));
    Buffer echoed = Buffer.buffer();
    Promise<Void> got = Promise.promise();
    socket.handler(b -> {
      echoed.appendBuffer(b);
      if (echoed.length() == 4) {
        got.tryComplete();
      }
    });
    await(socket.write(Buffer.buffer("ping")));
    // served and echoed: the connection that ends now is past its handshake
    await(got.future());
    await(socket.close());
    probe.awaitCounter("tls", "connectionsClosed", 1);
    assertThat(access.events()).hasSize(2);
    assertThat(AccessLogTest.fields(access.events().get(1))).containsEntry("sni", "a.example").containsEntry("outcome", "closed");
  }
}
