package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestCerts;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TlsConfig;
import dev.netserver.config.TlsConfig.CertKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS on a listener, driven by the real {@code openssl s_client} (installed by .ci/run): the greeting over
 * each protocol version, SNI, client certificates, reload, and what a plain-text client gets.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A TLS listener")
class TlsServerTest {

  private static final String ANSWER = "You entered 5 characters.";

  @TempDir
  static Path dir;
  static TestCerts certs;
  static TestCerts.Pair server;
  static TestCerts.Pair renewed;
  static TestCerts.Pair named;
  static TestCerts.Pair wild;
  static TestCerts.Pair ca;
  static TestCerts.Pair client;

  private Vertx vertx;
  /** A field: Vert.x 5 may close an unreferenced client mid-test. */
  private NetClient tlsClient;

  @BeforeAll
  static void makeCertificates() {
    certs = new TestCerts(dir);
    server = certs.selfSigned("server", "localhost", 0x1001);
    renewed = certs.selfSigned("renewed", "localhost", 0x2002);
    named = certs.selfSigned("named", "a.example", 0x3003);
    wild = certs.selfSigned("wild", "x.wild.example", 0x4004);
    ca = certs.selfSigned("ca", "test-ca", 0x5005);
    client = certs.signedBy(ca, "client", "a-client", 0x6006);
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  private static TcpListenerConfig greeter(TlsConfig tls) {
    return TcpListenerConfig.of("tls", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withInstances(1).withTls(tls);
  }

  /** A copy of a pair this test may overwrite. */
  private static TestCerts.Pair copy(TestCerts.Pair pair, String name) throws IOException {
    return new TestCerts.Pair(Files.copy(pair.cert(), dir.resolve(name + ".crt"), StandardCopyOption.REPLACE_EXISTING),
      Files.copy(pair.key(), dir.resolve(name + ".key"), StandardCopyOption.REPLACE_EXISTING));
  }

  /** Replaces a pair's files by another's, the certificate first, as an operator's copy would. */
  private static void replace(TestCerts.Pair target, TestCerts.Pair by) throws IOException {
    Files.copy(by.cert(), target.cert(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(by.key(), target.key(), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Runs {@code openssl s_client} against the port, sends {@code line} (then end of input) and returns all
   * it printed once the server closed. {@code -ign_eof}: keep reading after the input ends.
   */
  static String sClient(int port, String line, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-ign_eof"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "s_client", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().close();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError("openssl s_client did not finish in 20 s: " + Files.readString(out));
      }
      return Files.readString(out);
    } finally {
      p.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-tls1_3", "-tls1_2"})
  @DisplayName("greets over TLS 1.3 and 1.2, with every counter as over plain TCP")
  void greets(String version) throws Exception {
    int port = TcpListeners.start(vertx, greeter(TlsConfig.pem(server.certPath(), server.keyPath())));
    try (StatsProbe stats = new StatsProbe(vertx)) {
      String out = sClient(port, "Alice", version);
      assertThat(out).containsPattern("Welcome, 127\\.0\\.0\\.1:\\d+\nPlease enter a string: " + ANSWER);
      assertThat(out).contains(version.equals("-tls1_3") ? "Protocol  : TLSv1.3" : "Protocol  : TLSv1.2");
      assertThat(TestCerts.serial(out)).isEqualTo(BigInteger.valueOf(0x1001));
      stats.await("tls", s -> s.counter("linesAnswered") == 1 && s.counter("connectionsAccepted") == 1
        && s.counter("connectionsClosed") == 1 && s.counter("bytesIn") == 6 && s.counter("tlsHandshakeFailures") == 0);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"jdk, -tls1_3", "jdk, -tls1_2", "openssl, -tls1_3", "openssl, -tls1_2"})
  @DisplayName("greets through each TLS provider, over TLS 1.3 and 1.2")
  void providers(String provider, String version) throws Exception {
    TlsConfig tls = TlsConfig.pem(server.certPath(), server.keyPath()).withProvider(TlsConfig.Provider.SPELLINGS.get(provider));
    try (LogCapture log = LogCapture.of(TlsSetup.class)) {
      int port = TcpListeners.start(vertx, greeter(tls));
      String out = sClient(port, "Alice", version);
      assertThat(out).containsPattern("Welcome, 127\\.0\\.0\\.1:\\d+\nPlease enter a string: " + ANSWER);
      assertThat(out).contains(version.equals("-tls1_3") ? "Protocol  : TLSv1.3" : "Protocol  : TLSv1.2");
      // which implementation answered, seen from the wire: the JDK's session tickets say 86400 s (its
      // jdk.tls.server.sessionTicketTimeout default), BoringSSL's other lifetimes (172800 s for 1.3, 14400 s for 1.2)
      if (provider.equals("jdk")) {
        assertThat(out).contains("TLS session ticket lifetime hint: 86400 (seconds)");
      } else {
        assertThat(out).contains("TLS session ticket lifetime hint:").doesNotContain("lifetime hint: 86400 (seconds)");
      }
      assertThat(log.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("TLS by the " + provider + " provider (" + (provider.equals("openssl") ? "BoringSSL" : "SunJSSE")));
    }
  }

  @Test
  @DisplayName("echoes over TLS")
  void echoes() throws Exception {
    int port = TcpListeners.start(vertx, TcpListenerConfig.of("tls-echo", TcpProtocol.ECHO, Binding.of("127.0.0.1", 0))
      .withInstances(1).withTls(TlsConfig.pem(server.certPath(), server.keyPath())));
    try (StatsProbe stats = new StatsProbe(vertx)) {
      NetSocket socket = await(tlsClient().connect(port, "127.0.0.1"));
      CompletableFuture<String> echoed = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      socket.handler(b -> {
        received.append(b.toString(StandardCharsets.UTF_8));
        if (received.length() >= 12) {
          echoed.complete(received.toString());
        }
      });
      await(socket.write(Buffer.buffer("hello, echo\n")));
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello, echo\n");
      stats.await("tls-echo", s -> s.counter("bytesIn") == 12 && s.counter("bytesOut") == 12 && s.counter("connectionsActive") == 1);
    }
  }

  /** A Vert.x TLS client that takes any certificate. */
  private NetClient tlsClient() {
    if (tlsClient == null) {
      tlsClient = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
    }
    return tlsClient;
  }

  @Test
  @DisplayName("serves the certificate of a PKCS#12 key store, its password read from the variable the configuration names")
  void keyStore() throws Exception {
    java.nio.file.Path p12 = certs.pkcs12(named, "test-only-password");
    TlsConfig tls = new TlsConfig(null, null, p12.toString(), "NETSERVER_TEST_KEYSTORE_PASSWORD", Map.of(),
      TlsConfig.ClientAuthMode.NONE, null, TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
    int port = TcpListeners.start(vertx, greeter(tls));
    String out = sClient(port, "Alice");
    assertThat(TestCerts.serial(out)).isEqualTo(BigInteger.valueOf(0x3003));
    assertThat(out).contains(ANSWER);
  }

  @Test
  @DisplayName("speaks only the configured protocol versions")
  void protocols() throws Exception {
    int port = TcpListeners.start(vertx, greeter(TlsConfig.pem(server.certPath(), server.keyPath()).withProtocols(List.of("TLSv1.3"))));
    try (StatsProbe stats = new StatsProbe(vertx)) {
      assertThat(sClient(port, "Alice", "-tls1_2")).doesNotContain("Welcome");
      stats.awaitCounter("tls", "tlsHandshakeFailures", 1);
    }
  }

  @Test
  @DisplayName("answers each SNI name with its own certificate, a wildcard one level deep, and others with the default")
  void sni() throws Exception {
    TlsConfig tls = TlsConfig.pem(server.certPath(), server.keyPath()).withSni(Map.of(
      "a.example", new CertKey(named.certPath(), named.keyPath()),
      "*.wild.example", new CertKey(wild.certPath(), wild.keyPath())));
    int port = TcpListeners.start(vertx, greeter(tls));
    assertThat(TestCerts.serial(sClient(port, "Alice", "-servername", "a.example"))).isEqualTo(BigInteger.valueOf(0x3003));
    assertThat(TestCerts.serial(sClient(port, "Alice", "-servername", "A.Example"))).isEqualTo(BigInteger.valueOf(0x3003));
    assertThat(TestCerts.serial(sClient(port, "Alice", "-servername", "x.wild.example"))).isEqualTo(BigInteger.valueOf(0x4004));
    assertThat(TestCerts.serial(sClient(port, "Alice", "-servername", "y.x.wild.example"))).isEqualTo(BigInteger.valueOf(0x1001));
    String other = sClient(port, "Alice", "-servername", "b.example");
    assertThat(TestCerts.serial(other)).isEqualTo(BigInteger.valueOf(0x1001));
    assertThat(other).contains(ANSWER);
  }

  @Test
  @DisplayName("with client auth required, greets a client with a certificate from the CA and refuses one without")
  void clientAuth() throws Exception {
    TlsConfig tls = TlsConfig.pem(server.certPath(), server.keyPath()).withClientAuth(TlsConfig.ClientAuthMode.REQUIRED, ca.certPath());
    int port = TcpListeners.start(vertx, greeter(tls));
    try (StatsProbe stats = new StatsProbe(vertx)) {
      assertThat(sClient(port, "Alice", "-cert", client.certPath(), "-key", client.keyPath())).contains(ANSWER);
      assertThat(sClient(port, "Alice")).doesNotContain("Welcome");
      assertThat(sClient(port, "Alice", "-cert", named.certPath(), "-key", named.keyPath())).doesNotContain("Welcome");
      stats.await("tls", s -> s.counter("tlsHandshakeFailures") == 2 && s.counter("linesAnswered") == 1);
    }
  }

  @Test
  @DisplayName("with client auth requested, greets a client with or without a certificate")
  void clientAuthRequested() throws Exception {
    TlsConfig tls = TlsConfig.pem(server.certPath(), server.keyPath()).withClientAuth(TlsConfig.ClientAuthMode.REQUEST, ca.certPath());
    int port = TcpListeners.start(vertx, greeter(tls));
    assertThat(sClient(port, "Alice", "-cert", client.certPath(), "-key", client.keyPath())).contains(ANSWER);
    assertThat(sClient(port, "Alice")).contains(ANSWER);
  }

  @Test
  @DisplayName("closes a client that starts no handshake within handshakeTimeoutSeconds, and counts it")
  void handshakeTimeout() throws Exception {
    TlsConfig tls = new TlsConfig(server.certPath(), server.keyPath(), null, null, Map.of(), TlsConfig.ClientAuthMode.NONE, null,
      TlsConfig.DEFAULT_PROTOCOLS, 1);
    int port = TcpListeners.start(vertx, greeter(tls));
    try (StatsProbe stats = new StatsProbe(vertx); TestClient silent = TestClient.connect(port)) {
      assertThat(silent.readToEnd()).isEmpty(); // returns once the server closed
      stats.awaitCounter("tls", "tlsHandshakeFailures", 1);
    }
  }

  @Test
  @DisplayName("closes a plain-text client and counts it, as a client that leaves before the handshake, logging no stack trace")
  void plainText() throws Exception {
    int port = TcpListeners.start(vertx, greeter(TlsConfig.pem(server.certPath(), server.keyPath())));
    try (LogCapture netty = LogCapture.of("io.netty"); LogCapture vertxLog = LogCapture.of("io.vertx");
         LogCapture ours = LogCapture.of("dev.netserver"); StatsProbe stats = new StatsProbe(vertx);
         TestClient plain = TestClient.connect(port)) {
      String answer = plain.send("Alice\r\n".getBytes(StandardCharsets.US_ASCII)).readToEnd();
      assertThat(answer).doesNotContain("Welcome");
      stats.awaitCounter("tls", "tlsHandshakeFailures", 1);
      TestClient.connect(port).close(); // a TCP health check
      stats.await("tls", s -> s.counter("tlsHandshakeFailures") == 2 && s.counter("connectionsAccepted") == 0 && s.counter("errors") == 0);
      List<ILoggingEvent> all = new ArrayList<>(netty.atLeast(Level.INFO));
      all.addAll(vertxLog.atLeast(Level.INFO));
      all.addAll(ours.events());
      assertThat(all).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
      assertThat(all).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }
  }

  @Test
  @DisplayName("serves a replaced certificate to new connections after the periodic check, open connections keeping theirs")
  void reloadsOnChange() throws Exception {
    TestCerts.Pair files = copy(server, "live");
    int port = TcpListeners.start(vertx, greeter(TlsConfig.pem(files.certPath(), files.keyPath())));
    NetSocket open = await(tlsClient().connect(port, "127.0.0.1"));
    StringBuilder received = new StringBuilder();
    CompletableFuture<String> answered = new CompletableFuture<>();
    open.handler(b -> {
      received.append(b.toString(StandardCharsets.UTF_8));
      if (received.toString().contains(ANSWER)) {
        answered.complete(received.toString());
      }
    });
    BigInteger before = open.peerCertificates().get(0) instanceof java.security.cert.X509Certificate x ? x.getSerialNumber() : null;
    assertThat(before).isEqualTo(BigInteger.valueOf(0x1001));

    awaitLog("TLS certificate reloaded", () -> {
      try {
        replace(files, renewed);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(TestCerts.serial(sClient(port, "Alice"))).isEqualTo(BigInteger.valueOf(0x2002));
    await(open.write(Buffer.buffer("Alice\n")));
    assertThat(answered.get(10, TimeUnit.SECONDS)).contains(ANSWER);
  }

  @Test
  @DisplayName("keeps its certificate when the replaced files do not load, logs it at ERROR once and counts it")
  void badReload() throws Exception {
    TestCerts.Pair files = copy(server, "broken");
    TcpServerVerticle verticle = new TcpServerVerticle(greeter(TlsConfig.pem(files.certPath(), files.keyPath())), TcpListeners.RUNTIME);
    await(vertx.deployVerticle(verticle));
    int port = verticle.boundPorts().get(0);
    try (LogCapture log = LogCapture.of(TlsSetup.class); StatsProbe stats = new StatsProbe(vertx)) {
      // a certificate whose key is not in the key file: what a half-finished copy leaves
      Files.copy(renewed.cert(), files.cert(), StandardCopyOption.REPLACE_EXISTING);
      assertThat(await(verticle.reloadTls())).isFalse();
      assertThat(await(verticle.reloadTls())).isFalse();
      stats.awaitCounter("tls", "tlsReloadFailures", 1);
      assertThat(log.atLeast(Level.ERROR)).singleElement().satisfies(e -> {
        assertThat(e.getFormattedMessage()).contains("still serving the certificate with serial 1001")
          .contains("tls.keyPath does not match the certificate");
        assertThat(e.getThrowableProxy()).isNull();
      });
      assertThat(TestCerts.serial(sClient(port, "Alice"))).isEqualTo(BigInteger.valueOf(0x1001));

      Files.copy(renewed.key(), files.key(), StandardCopyOption.REPLACE_EXISTING);
      assertThat(await(verticle.reloadTls())).isTrue();
      assertThat(TestCerts.serial(sClient(port, "Alice"))).isEqualTo(BigInteger.valueOf(0x2002));
    }
  }

  @Test
  @DisplayName("with several instances on one port, every new connection gets the reloaded certificate")
  void reloadInstances() throws Exception {
    TestCerts.Pair files = copy(server, "shared");
    TcpServerVerticle first = new TcpServerVerticle(greeter(TlsConfig.pem(files.certPath(), files.keyPath())).withInstances(3), TcpListeners.RUNTIME);
    await(vertx.deployVerticle(first));
    await(vertx.deployVerticle(() -> new TcpServerVerticle(first), new io.vertx.core.DeploymentOptions().setInstances(2)));
    int port = first.boundPorts().get(0);
    replace(files, renewed);
    assertThat(await(first.reloadTls())).isTrue();
    for (int i = 0; i < 6; i++) {
      String out = sClient(port, "Alice");
      assertThat(TestCerts.serial(out)).isEqualTo(BigInteger.valueOf(0x2002));
      assertThat(out).contains(ANSWER);
    }
  }

  /** Waits (up to 10 s: the check runs every 2 s) for a log line of {@link TlsSetup} containing {@code text}. */
  private static void awaitLog(String text, Runnable action) throws Exception {
    CompletableFuture<String> logged = new CompletableFuture<>();
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TlsSetup.class);
    ch.qos.logback.core.AppenderBase<ILoggingEvent> watch = new ch.qos.logback.core.AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains(text)) {
          logged.complete(event.getFormattedMessage());
        }
      }
    };
    watch.start();
    logger.addAppender(watch);
    try {
      action.run();
      logged.get(10, TimeUnit.SECONDS);
    } finally {
      logger.detachAppender(watch);
    }
  }
}
