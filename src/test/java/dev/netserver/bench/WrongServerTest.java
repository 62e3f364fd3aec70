package dev.netserver.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Consumer;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Tiny servers in the test that get the protocol wrong: the tool must count errors and exit 1. */
@DisplayName("bench: a wrong server is caught")
@Timeout(60)
class WrongServerTest {

  private static final String GREETING = "Welcome, 127.0.0.1:1\nPlease enter a string: ";

  @TempDir
  Path dir;

  private Vertx vertx;
  // Kept in fields: Vert.x 5 may close an unreferenced server mid-test.
  private NetServer server;
  private DatagramSocket udp;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private int tcp(Consumer<NetSocket> handler) {
    server = vertx.createNetServer().connectHandler(handler::accept);
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /** A greeting server whose answer is {@code answer} whatever the line. */
  private int greeter(String answer, boolean close) {
    return tcp(socket -> {
      socket.write(GREETING);
      StringBuilder line = new StringBuilder();
      socket.handler(data -> {
        line.append(data.toString());
        if (line.indexOf("\n") >= 0) {
          socket.write(answer);
          if (close) {
            socket.close();
          }
        }
      });
    });
  }

  private BenchRun run(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"-d", "1", "--warmup", "0", "-c", "2"}, 0, all, args.length, 6);
    return BenchRun.withJson(dir, all);
  }

  private static void assertErrors(BenchRun run, String kind) {
    assertThat(run.exit()).as(run.printed()).isEqualTo(1);
    JsonObject json = run.json();
    assertThat(json.getLong("errors")).as(run.printed()).isPositive();
    assertThat(json.getJsonObject("errorKinds").getLong(kind)).as(run.printed()).isEqualTo(json.getLong("errors"));
  }

  @Test
  @DisplayName("greet: \"You entered 99 characters.\" for a 64-byte line is a wrong reply, shown in full")
  void wrongCount() {
    int port = greeter("You entered 99 characters.\n", true);
    BenchRun run = run("greet", "--port", Integer.toString(port));
    assertErrors(run, "wrongReply");
    assertThat(run.json().getLong("exchanges")).isZero();
    assertThat(run.out()).contains("first error: wrong reply: expected \"You entered 64 characters.\\n\", got \"You"
      + " entered 99 characters.\\n\"");
  }

  @Test
  @DisplayName("greet: the right answer without the close is a timeout")
  void noClose() {
    int port = greeter("You entered 64 characters.\n", false);
    BenchRun run = run("greet", "--port", Integer.toString(port), "--timeout", "200");
    assertErrors(run, "timeout");
    assertThat(run.out()).contains("no complete exchange within 200 ms, after the answer");
  }

  @Test
  @DisplayName("greet: a close before the answer is an early close")
  void closeBeforeAnswer() {
    int port = tcp(socket -> {
      socket.write(GREETING);
      socket.handler(data -> socket.close());
    });
    BenchRun run = run("greet", "--port", Integer.toString(port));
    assertErrors(run, "closed");
    assertThat(run.out()).contains("before the end of the answer");
  }

  @Test
  @DisplayName("echo: one corrupted byte in every 1000 is a wrong reply")
  void corruptedEcho() {
    int port = tcp(socket -> {
      long[] seen = {0};
      socket.handler(data -> {
        Buffer copy = data.copy();
        for (int i = 0; i < copy.length(); i++) {
          if (++seen[0] % 1000 == 0) {
            copy.setByte(i, (byte) (copy.getByte(i) ^ 0x20));
          }
        }
        socket.write(copy);
      });
    });
    BenchRun run = run("echo", "--port", Integer.toString(port), "-s", "100");
    assertErrors(run, "wrongReply");
    assertThat(run.out()).contains("first error: wrong reply: message 9 byte 99 of 100: expected 0x");
  }

  @Test
  @DisplayName("stream: a server that echoes nothing gives timeouts")
  void silentServer() {
    int port = tcp(socket -> socket.handler(data -> { }));
    BenchRun run = run("stream", "--port", Integer.toString(port), "--timeout", "300");
    assertErrors(run, "timeout");
  }

  @Test
  @DisplayName("udp: a datagram echoed with a byte changed is a wrong reply")
  void corruptedDatagram() {
    udp = vertx.createDatagramSocket();
    await(udp.listen(0, "127.0.0.1"));
    udp.handler(packet -> {
      Buffer data = packet.data().copy();
      data.setByte(data.length() - 1, (byte) (data.getByte(data.length() - 1) ^ 1));
      udp.send(data, packet.sender().port(), packet.sender().host());
    });
    BenchRun run = run("udp", "--port", Integer.toString(udp.localAddress().port()), "-s", "64");
    assertErrors(run, "wrongReply");
    assertThat(run.out()).contains("came back with different bytes");
  }

  @Test
  @DisplayName("udp: a server that drops every datagram loses them all; the 1% rule fails the run")
  void allLost() {
    udp = vertx.createDatagramSocket();
    await(udp.listen(0, "127.0.0.1"));
    udp.handler(packet -> { });
    BenchRun run = run("udp", "--port", Integer.toString(udp.localAddress().port()), "--udp-timeout", "100");
    assertThat(run.exit()).as(run.printed()).isEqualTo(1);
    JsonObject json = run.json();
    assertThat(json.getLong("errors")).isZero();
    assertThat(json.getLong("lost")).isPositive();
    assertThat(run.out()).contains("more than 1% of the datagrams were lost: the run fails");
  }
}
