package dev.netserver.config;

import ch.qos.logback.classic.Level;
import dev.netserver.LogCapture;
import dev.netserver.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.withTcp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A TCP listener's tls object")
class TlsConfigTest {

  @TempDir
  static Path dir;
  static TestCerts certs;
  static TestCerts.Pair server;
  static TestCerts.Pair other;

  @BeforeAll
  static void makeCertificates() {
    certs = new TestCerts(dir);
    server = certs.selfSigned("server", "localhost", 1);
    other = certs.selfSigned("other", "other.example", 2);
  }

  private static String pem(TestCerts.Pair pair) {
    return "'certPath': '" + pair.certPath() + "', 'keyPath': '" + pair.keyPath() + "'";
  }

  private static TcpListenerConfig read(String tls) {
    return Configs.read(withTcp(tcpListener("{'tls': {" + tls + "}}"))).tcp().get(0);
  }

  private static List<String> problems(String tls) {
    return tcpProblems("{'tls': {" + tls + "}}");
  }

  @Test
  @DisplayName("with a PEM pair reads its defaults and makes auto choose the vertx engine")
  void defaults() {
    TcpListenerConfig t = read(pem(server));
    assertThat(t.tls()).isEqualTo(TlsConfig.pem(server.certPath(), server.keyPath()));
    assertThat(t.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(t.tls().handshakeTimeoutSeconds()).isEqualTo(10);
    assertThat(t.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuthMode.NONE);
    assertThat(t.vertxOnlySettings()).containsExactly("tls");
    assertThat(t.engineInUse()).isEqualTo(Engine.VERTX);
  }

  @Test
  @DisplayName("reads SNI names, client auth with its CA bundle, protocols and the handshake timeout")
  void everything() {
    TcpListenerConfig t = read(pem(server) + ", 'sni': {'Other.example': {" + pem(other) + "}, '*.wild.example': {" + pem(other) + "}},"
      + " 'clientAuth': 'required', 'trustPath': '" + other.certPath() + "', 'protocols': ['TLSv1.3'], 'handshakeTimeoutSeconds': 3");
    assertThat(t.tls().sni()).containsOnlyKeys("other.example", "*.wild.example");
    assertThat(t.tls().clientAuth()).isEqualTo(TlsConfig.ClientAuthMode.REQUIRED);
    assertThat(t.tls().trustPath()).isEqualTo(other.certPath());
    assertThat(t.tls().protocols()).containsExactly("TLSv1.3");
    assertThat(t.tls().handshakeTimeoutSeconds()).isEqualTo(3);
  }

  @Test
  @DisplayName("on the direct engine is an error naming the key and the engine")
  void direct() {
    assertThat(tcpProblems("{'engine': 'direct', 'tls': {" + pem(server) + "}}")).containsExactly(
      "conf/config.json: tcp[0].tls needs \"engine\": \"vertx\" (or \"auto\"); the \"direct\" engine cannot honour it");
  }

  @Test
  @DisplayName("a missing file is an error naming the key and the file")
  void missingFile() {
    assertThat(problems("'certPath': '/nonexistent/cert.pem', 'keyPath': '" + server.keyPath() + "'")).containsExactly(
      "conf/config.json: tcp[0].tls.certPath names a file that does not exist (was \"/nonexistent/cert.pem\")");
  }

  @Test
  @DisplayName("a key file that holds no key is an error naming keyPath")
  void unreadableKey() {
    Path garbage = certs.write("garbage.key", "not a key\n");
    assertThat(problems("'certPath': '" + server.certPath() + "', 'keyPath': '" + garbage + "'")).singleElement().asString()
      .startsWith("conf/config.json: tcp[0].tls.keyPath is not a readable PEM private key")
      .endsWith("(was \"" + garbage + "\")");
  }

  @Test
  @DisplayName("a certificate file that holds no certificate is an error naming certPath")
  void unreadableCert() {
    assertThat(problems("'certPath': '" + server.keyPath() + "', 'keyPath': '" + server.keyPath() + "'")).singleElement().asString()
      .startsWith("conf/config.json: tcp[0].tls.certPath ");
  }

  @Test
  @DisplayName("a key that does not match its certificate is an error naming both")
  void mismatch() {
    assertThat(problems("'certPath': '" + server.certPath() + "', 'keyPath': '" + other.keyPath() + "'")).containsExactly(
      "conf/config.json: tcp[0].tls.keyPath does not match the certificate in tcp[0].tls.certPath (" + server.certPath()
        + ": CN=localhost) (was \"" + other.keyPath() + "\")");
  }

  @Test
  @DisplayName("an SNI entry is checked like the default pair, under its own path")
  void sniChecked() {
    assertThat(problems(pem(server) + ", 'sni': {'a.example': {'certPath': '" + other.certPath() + "', 'keyPath': '" + server.keyPath() + "'}}"))
      .containsExactly("conf/config.json: tcp[0].tls.sni.a.example.keyPath does not match the certificate in tcp[0].tls.sni.a.example.certPath ("
        + other.certPath() + ": CN=other.example) (was \"" + server.keyPath() + "\")");
    assertThat(problems(pem(server) + ", 'sni': {'bad name!': {" + pem(other) + "}, 'b.example': {'certPath': '" + other.certPath() + "'}}"))
      .containsExactlyInAnyOrder(
        "conf/config.json: tcp[0].tls.sni.bad name! is not a server name (a DNS name such as \"example.com\", or \"*.example.com\")",
        "conf/config.json: tcp[0].tls.sni.b.example.keyPath is required (each server name has its own PEM certificate and key)");
  }

  @Test
  @DisplayName("an expired certificate is a warning with its date, not an error")
  void expired() {
    TestCerts.Pair old = certs.expired("old");
    try (LogCapture log = LogCapture.of(TlsMaterial.class)) {
      TcpListenerConfig t = read(pem(old));
      assertThat(t.tls()).isNotNull();
      assertThat(log.atLeast(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .startsWith("tcp[0].tls.certPath: the certificate CN=old in " + old.certPath() + " expired on 2020-01-02"));
    }
  }

  @Test
  @DisplayName("an unknown protocol is an error naming the element")
  void unknownProtocol() {
    assertThat(problems(pem(server) + ", 'protocols': ['TLSv1.3', 'SSLv3']")).containsExactly(
      "conf/config.json: tcp[0].tls.protocols[1] is not a known protocol (one of TLSv1.3, TLSv1.2) (was \"SSLv3\")");
    assertThat(problems(pem(server) + ", 'protocols': []")).containsExactly(
      "conf/config.json: tcp[0].tls.protocols must be a non-empty array of TLSv1.3, TLSv1.2 (was [])");
  }

  @Test
  @DisplayName("a key store needs the environment variable of its password, and it must be set")
  void keyStorePassword() {
    Path p12 = certs.pkcs12(server, "secret");
    assertThat(problems("'keyStore': '" + p12 + "'")).containsExactly(
      "conf/config.json: tcp[0].tls.keyStorePasswordEnv is required with keyStore (the name of the environment variable holding"
        + " its password; the password itself never goes in the file)");
    assertThat(problems("'keyStore': '" + p12 + "', 'keyStorePasswordEnv': 'NETSERVER_TEST_UNSET_PASSWORD'")).containsExactly(
      "conf/config.json: tcp[0].tls.keyStorePasswordEnv names the environment variable NETSERVER_TEST_UNSET_PASSWORD, which is"
        + " not set (was \"NETSERVER_TEST_UNSET_PASSWORD\")");
  }

  @Test
  @DisplayName("a key store with its password variable set reads (the build sets NETSERVER_TEST_KEYSTORE_PASSWORD)")
  void keyStoreRead() {
    Path p12 = certs.pkcs12(other, "test-only-password");
    TcpListenerConfig t = read("'keyStore': '" + p12 + "', 'keyStorePasswordEnv': 'NETSERVER_TEST_KEYSTORE_PASSWORD'");
    assertThat(t.tls().keyStore()).isEqualTo(p12.toString());
    assertThat(t.tls().toString()).doesNotContain("test-only-password");
  }

  @Test
  @DisplayName("a PKCS#12 or JKS key store loads with its password, and a wrong password is an error that does not show it")
  void keyStores() {
    Path p12 = certs.pkcs12(server, "secret");
    Path jks = certs.jks("stored", "changeit", null, 2);
    TlsConfig fromP12 = new TlsConfig(null, null, p12.toString(), "PW", Map.of(), TlsConfig.ClientAuthMode.NONE, null, TlsConfig.DEFAULT_PROTOCOLS, 10);
    TlsMaterial.Loaded loaded = TlsMaterial.load(fromP12, Map.of("PW", "secret")::get, "tls");
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.material().serial()).isEqualTo("1");
    TlsConfig fromJks = new TlsConfig(null, null, jks.toString(), "PW", Map.of(), TlsConfig.ClientAuthMode.NONE, null, TlsConfig.DEFAULT_PROTOCOLS, 10);
    assertThat(TlsMaterial.load(fromJks, Map.of("PW", "changeit")::get, "tls").problems()).isEmpty();
    List<String> wrong = TlsMaterial.load(fromP12, Map.of("PW", "guessed-wrong")::get, "tls").problems();
    assertThat(wrong).singleElement().asString().startsWith("tls.keyStore cannot be opened as a PKCS#12 or JKS key store with the password in $PW")
      .doesNotContain("guessed-wrong");
  }

  @Test
  @DisplayName("a key in the traditional SEC1 form loads as well as PKCS#8")
  void sec1() {
    Path sec1 = certs.sec1Key(server);
    assertThat(read("'certPath': '" + server.certPath() + "', 'keyPath': '" + sec1 + "'").tls().keyPath()).isEqualTo(sec1.toString());
  }

  @Test
  @DisplayName("names one way to give the certificate, and client auth goes with a CA bundle")
  void shape() {
    assertThat(problems("'certPath': '" + server.certPath() + "'")).containsExactly(
      "conf/config.json: tcp[0].tls.keyPath is required with certPath (a PEM certificate chain and its private key)");
    assertThat(problems("")).containsExactly(
      "conf/config.json: tcp[0].tls needs certPath and keyPath (PEM), or keyStore with keyStorePasswordEnv");
    assertThat(problems(pem(server) + ", 'keyStore': 'x.p12', 'keyStorePasswordEnv': 'X'")).containsExactly(
      "conf/config.json: tcp[0].tls.keyStore and certPath/keyPath are two ways to give the certificate: use one");
    assertThat(problems(pem(server) + ", 'clientAuth': 'required'")).containsExactly(
      "conf/config.json: tcp[0].tls.trustPath is required with clientAuth \"required\" (the PEM CA bundle client certificates must chain to)");
    assertThat(problems(pem(server) + ", 'trustPath': '" + server.certPath() + "'")).containsExactly(
      "conf/config.json: tcp[0].tls.trustPath applies only with clientAuth \"request\" or \"required\" (clientAuth is \"none\")");
    assertThat(problems(pem(server) + ", 'clientAuth': 'maybe', 'handshakeTimeoutSeconds': 0, 'ciphers': []")).containsExactlyInAnyOrder(
      "conf/config.json: tcp[0].tls.clientAuth must be one of none, request, required (was \"maybe\")",
      "conf/config.json: tcp[0].tls.handshakeTimeoutSeconds must be an integer in 1..3600 (was 0)",
      "conf/config.json: tcp[0].tls.ciphers is not a known key (known keys: certPath, keyPath, keyStore, keyStorePasswordEnv, sni,"
        + " clientAuth, trustPath, protocols, handshakeTimeoutSeconds, provider)");
  }

  @Test
  @DisplayName("reads the TLS provider, jdk or openssl, and names the choices for anything else")
  void provider() {
    // an omitted provider: openssl where netty-tcnative's BoringSSL loads, as on the Linux x86-64 machines this runs on
    assertThat(io.vertx.core.net.OpenSSLEngineOptions.isAvailable()).as(String.valueOf(io.netty.handler.ssl.OpenSsl.unavailabilityCause())).isTrue();
    assertThat(read(pem(server)).tls().provider()).isEqualTo(TlsConfig.Provider.OPENSSL);
    assertThat(read(pem(server) + ", 'provider': 'jdk'").tls().provider()).isEqualTo(TlsConfig.Provider.JDK);
    assertThat(read(pem(server) + ", 'provider': 'openssl'").tls().provider()).isEqualTo(TlsConfig.Provider.OPENSSL);
    assertThat(problems(pem(server) + ", 'provider': 'OpenSSL'")).containsExactly(
      "conf/config.json: tcp[0].tls.provider must be one of jdk, openssl (was \"OpenSSL\")");
  }

  @Test
  @DisplayName("the fingerprint changes when a file's content does")
  void fingerprint() throws Exception {
    TestCerts.Pair copy = new TestCerts.Pair(Files.copy(server.cert(), dir.resolve("copy.crt")), Files.copy(server.key(), dir.resolve("copy.key")));
    TlsConfig tls = TlsConfig.pem(copy.certPath(), copy.keyPath());
    TlsMaterial loaded = TlsMaterial.load(tls, name -> null, "tls").material();
    assertThat(TlsMaterial.fingerprint(tls)).isEqualTo(loaded.fingerprint());
    Files.copy(other.cert(), copy.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(TlsMaterial.fingerprint(tls)).isNotEqualTo(loaded.fingerprint());
  }
}
