package dev.netserver.bench;

import dev.netserver.TestCerts;
import dev.netserver.config.Binding;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.TlsConfig;
import dev.netserver.tcp.TcpServerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench greet --tls} and {@code bench stream --tls} for two seconds against real TLS listeners; correctness, never
 * speed. Two seconds of warm-up: the first TLS handshakes of a cold JVM took about a second here.
 */
@DisplayName("bench --tls against a real netserver TLS listener")
@Timeout(60)
class BenchTlsTest {

  @TempDir
  static Path certDir;
  static Vertx vertx;
  static int greetPort;
  static int echoPort;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() {
    TestCerts.Pair pair = new TestCerts(certDir).selfSigned("bench", "localhost", 7);
    TlsConfig tls = TlsConfig.pem(pair.certPath(), pair.keyPath());
    vertx = Vertx.vertx();
    greetPort = startTcp(TcpProtocol.GREETING, tls);
    echoPort = startTcp(TcpProtocol.ECHO, tls);
  }

  private static int startTcp(TcpProtocol protocol, TlsConfig tls) {
    TcpListenerConfig config = TcpListenerConfig.of(protocol.configName(), protocol, Binding.of("127.0.0.1", 0))
      .withInstances(1).withTls(tls);
    TcpServerVerticle verticle = new TcpServerVerticle(config, BenchModesTest.RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle.boundPorts().get(0);
  }

  @AfterAll
  static void stopServer() {
    await(vertx.close());
  }

  private BenchRun run(String... args) {
    BenchRun run = BenchRun.withJson(dir, args);
    assertThat(run.exit()).as(run.printed()).isZero();
    JsonObject json = run.json();
    assertThat(json.getBoolean("tls")).isTrue();
    assertThat(json.getLong("exchanges")).as(run.printed()).isPositive();
    assertThat(json.getLong("errors")).as(run.printed()).isZero();
    assertThat(json.getDouble("bytesPerSecond")).isPositive();
    return run;
  }

  @Test
  @DisplayName("greet --tls completes exchanges, each a full handshake, and reports handshakes/s")
  void greet() {
    BenchRun run = run("greet", "--tls", "--port", Integer.toString(greetPort), "-c", "2", "-d", "2", "--warmup", "2");
    assertThat(run.printed()).contains("over TLS").containsPattern("handshakes\\s+\\d+\\s+[0-9.,]+ handshakes/s");
  }

  @Test
  @DisplayName("stream --tls echoes a window of messages and reports the byte rate")
  void stream() {
    BenchRun run = run("stream", "--tls", "--port", Integer.toString(echoPort), "-c", "2", "-s", "16384", "-w", "4", "-d", "2", "--warmup", "2");
    assertThat(run.printed()).contains("over TLS").containsPattern("received .*/s");
  }

  @Test
  @DisplayName("--tls with udp is refused")
  void notUdp() {
    BenchRun run = BenchRun.of("udp", "--tls");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.printed()).contains("--tls applies to the TCP modes");
  }
}
