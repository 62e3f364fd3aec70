package dev.netserver.udp;

import dev.netserver.config.Cidr;
import dev.netserver.config.UdpLimits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.netserver.udp.DatagramRates.Verdict.ACCEPT;
import static dev.netserver.udp.DatagramRates.Verdict.OVERALL;
import static dev.netserver.udp.DatagramRates.Verdict.PER_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A UDP listener's datagram rates")
class DatagramRatesTest {

  private static final long SECOND = 1_000_000_000L;
  private static final List<Cidr> NONE_EXEMPT = List.of();

  private final long[] now = {0};

  private DatagramRates rates(UdpLimits limits, int maxSources) {
    return new DatagramRates("udp-echo", limits, () -> now[0], maxSources);
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<DatagramRates.Verdict> judge(DatagramRates.Gate gate, String source, int times) {
    List<DatagramRates.Verdict> out = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      out.add(gate.judge(ip(source)));
    }
    return out;
  }

  @Test
  @DisplayName("gives each source its burst, then its rate, whatever the other sources do")
  void perSource() {
    DatagramRates.Gate gate = rates(new UdpLimits(2, 0, 3, NONE_EXEMPT), 100).gate();
    assertThat(judge(gate, "10.0.0.1", 4)).containsExactly(ACCEPT, ACCEPT, ACCEPT, PER_SOURCE);
    assertThat(judge(gate, "10.0.0.2", 3)).containsOnly(ACCEPT);
    now[0] += SECOND / 2;
    assertThat(judge(gate, "10.0.0.1", 2)).containsExactly(ACCEPT, PER_SOURCE);
  }

  @Test
  @DisplayName("counts an IPv6 /64 as one source")
  void sourceKeys() {
    DatagramRates.Gate gate = rates(new UdpLimits(1, 0, 1, NONE_EXEMPT), 100).gate();
    assertThat(gate.judge(ip("2001:db8::1"))).isEqualTo(ACCEPT);
    assertThat(gate.judge(ip("2001:db8::2"))).isEqualTo(PER_SOURCE);
    assertThat(gate.judge(ip("2001:db8:0:1::1"))).isEqualTo(ACCEPT);
  }

  @Test
  @DisplayName("never throttles an exempt source per source; the overall rate still counts it")
  void exempt() {
    DatagramRates.Gate gate = rates(new UdpLimits(1, 4, 0, List.of(Cidr.parse("127.0.0.0/8"))), 100).gate();
    assertThat(judge(gate, "127.0.0.1", 4)).containsOnly(ACCEPT);
    assertThat(judge(gate, "127.0.0.1", 1)).containsExactly(OVERALL);
  }

  @Test
  @DisplayName("takes no overall token for a datagram refused for its source")
  void perSourceBeforeOverall() {
    // burst 0: each bucket holds one second of its own rate (1 per source, 3 overall)
    DatagramRates.Gate gate = rates(new UdpLimits(1, 3, 0, NONE_EXEMPT), 100).gate();
    assertThat(judge(gate, "10.0.0.1", 5)).containsExactly(ACCEPT, PER_SOURCE, PER_SOURCE, PER_SOURCE, PER_SOURCE);
    assertThat(judge(gate, "10.0.0.2", 1)).containsExactly(ACCEPT);
    assertThat(judge(gate, "10.0.0.3", 1)).containsExactly(ACCEPT);
    assertThat(judge(gate, "10.0.0.4", 1)).containsExactly(OVERALL);
  }

  @Test
  @DisplayName("shares its buckets between the gates of all instances, across threads, without losing a token")
  void sharedAcrossInstances() throws Exception {
    DatagramRates rates = rates(new UdpLimits(1, 0, 1000, NONE_EXEMPT), 100);
    AtomicInteger accepted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DatagramRates.Gate gate = rates.gate();
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 500; i++) {
          if (gate.judge(ip("10.0.0.1")) == ACCEPT) {
            accepted.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    // the clock stands still: exactly the burst, of 2000 tries from 4 instances
    assertThat(accepted.get()).isEqualTo(1000);
  }

  @Test
  @DisplayName("forgets a source once its bucket is full again, and keeps a busy one")
  void sweep() {
    DatagramRates rates = rates(new UdpLimits(10, 0, 10, NONE_EXEMPT), 100);
    DatagramRates.Gate gate = rates.gate();
    judge(gate, "10.0.0.1", 10);
    judge(gate, "10.0.0.2", 1);
    assertThat(rates.sweep()).isEqualTo(2);
    now[0] += SECOND / 10; // refills 10.0.0.2's one token, 1 of 10.0.0.1's
    assertThat(rates.sweep()).isEqualTo(1);
    // 10.0.0.1 is still remembered as nearly empty: 1 token, not a fresh burst
    assertThat(judge(gate, "10.0.0.1", 2)).containsExactly(ACCEPT, PER_SOURCE);
    now[0] += 2 * SECOND;
    assertThat(rates.sweep()).isZero();
  }

  @Test
  @DisplayName("when maxSources are tracked, makes every further new source share one bucket, until a sweep makes room")
  void fullTable() {
    DatagramRates rates = rates(new UdpLimits(1, 0, 2, NONE_EXEMPT), 2);
    DatagramRates.Gate gate = rates.gate();
    judge(gate, "10.0.0.1", 1);
    judge(gate, "10.0.0.2", 1);
    // two more sources, beyond the cap: together they get one source's burst of 2
    assertThat(judge(gate, "10.0.0.3", 1)).containsExactly(ACCEPT);
    assertThat(judge(gate, "10.0.0.4", 2)).containsExactly(ACCEPT, PER_SOURCE);
    assertThat(judge(gate, "10.0.0.3", 1)).containsExactly(PER_SOURCE);
    // the tracked sources keep their own buckets
    assertThat(judge(gate, "10.0.0.1", 1)).containsExactly(ACCEPT);
    now[0] += 3 * SECOND;
    assertThat(rates.sweep()).isZero();
    assertThat(judge(gate, "10.0.0.3", 3)).containsExactly(ACCEPT, ACCEPT, PER_SOURCE);
  }

  @Test
  @DisplayName("judges nothing when both rates are off")
  void off() {
    DatagramRates rates = rates(new UdpLimits(0, 0, 0, NONE_EXEMPT), 100);
    assertThat(rates.perSource()).isFalse();
    assertThat(judge(rates.gate(), "10.0.0.1", 10_000)).containsOnly(ACCEPT);
  }
}
