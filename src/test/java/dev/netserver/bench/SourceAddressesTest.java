package dev.netserver.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("bench --source: connections spread over local addresses")
@Timeout(60)
class SourceAddressesTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("reads addresses and ranges of the last IPv4 part, in order")
  void parses() {
    assertThat(SourceAddresses.parse("127.0.0.1-3, 127.0.0.9,::1"))
      .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.9", "::1");
    assertThat(SourceAddresses.parse(null)).isEmpty();
  }

  @Test
  @DisplayName("refuses a host name, a part above 255, a range going down and an empty item, naming it")
  void refuses() {
    assertThatThrownBy(() -> SourceAddresses.parse("localhost")).hasMessageContaining("--source localhost: expected IP addresses");
    assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.300")).hasMessageContaining("--source 127.0.0.300");
    assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.9-2")).hasMessageContaining("the range must go up");
    assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.1,,127.0.0.2")).hasMessageContaining("(an empty item)");
    BenchRun run = BenchRun.of("hold", "--source", "127.0.0.1-300");
    assertThat(run.exit()).as(run.printed()).isEqualTo(2);
    assertThat(run.err()).contains("--source 127.0.0.1-300");
  }

  @Test
  @DisplayName("takes the addresses in turn, then starts over")
  void roundRobin() {
    SourceAddresses sources = SourceAddresses.of(List.of("127.0.0.2", "127.0.0.3"));
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(sources.next().getAddress().getHostAddress());
    }
    assertThat(seen).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3");
    assertThat(SourceAddresses.of(List.of()).next()).isNull();
  }

  @Test
  @DisplayName("hold opens its connections from each source address, as the server sees them")
  void holdFromEachSource() throws Exception {
    Set<String> peers = ConcurrentHashMap.newKeySet();
    List<Socket> accepted = new ArrayList<>();
    CountDownLatch four = new CountDownLatch(4);
    try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (four.getCount() > 0) {
            Socket s = server.accept();
            accepted.add(s);
            peers.add(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress());
            four.countDown();
          }
        } catch (IOException e) {
          // the server socket closed: the test is over
        }
      });
      acceptor.start();
      BenchRun run = BenchRun.withJson(dir, "hold", "--port", Integer.toString(server.getLocalPort()), "-c", "4",
        "--hold", "1", "--source", "127.0.0.2-3");
      assertThat(run.exit()).as(run.printed()).isZero();
      assertThat(four.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(peers).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
      assertThat(run.json().getInteger("held")).isEqualTo(4);
      assertThat(run.json().getInteger("sourceAddresses")).isEqualTo(2);
      acceptor.join(10_000);
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
