package dev.netserver.tcp;

import dev.netserver.config.AccessList;
import dev.netserver.config.Cidr;
import dev.netserver.config.TcpLimits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A TCP listener's connection guard")
class ConnectionGuardTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private long now = 1_000_000;

  /** Limits: maxConnections, perSource, rate, ratePerSource, burst, exempt none, buffered default. */
  private static TcpLimits limits(int max, int perSource, int rate, int ratePerSource, int burst) {
    return new TcpLimits(max, perSource, rate, ratePerSource, burst, List.of(), TcpLimits.DEFAULT_MAX_BUFFERED_BYTES);
  }

  private ConnectionGuard guard(TcpLimits limits) {
    return guard(limits, AccessList.OPEN);
  }

  private ConnectionGuard guard(TcpLimits limits, AccessList access) {
    return new ConnectionGuard(limits, access, ConnectionGuard.MAX_IDLE_SOURCES, () -> now);
  }

  private static SocketAddress from(String ip) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), 40000);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Refusal refusal(ConnectionGuard.Admission a) {
    return a.refusal();
  }

  @Test
  @DisplayName("at the defaults admits loopback without keeping any per-source state, and counts the open connections")
  void defaults() {
    ConnectionGuard guard = guard(TcpLimits.DEFAULT);
    List<ConnectionGuard.Admission> held = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ConnectionGuard.Admission a = guard.admit(from("127.0.0.1"));
      assertThat(a.admitted()).isTrue();
      held.add(a);
    }
    assertThat(guard.open()).isEqualTo(100);
    assertThat(guard.sources()).isZero();
    held.forEach(guard::release);
    assertThat(guard.open()).isZero();
  }

  @Test
  @DisplayName("maxConnections: admits N, refuses N+1, admits again once one is released")
  void maxConnections() {
    ConnectionGuard guard = guard(limits(3, 0, 0, 0, 0));
    List<ConnectionGuard.Admission> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(guard.admit(from("10.0.0." + i)));
    }
    assertThat(held).allMatch(ConnectionGuard.Admission::admitted);
    assertThat(refusal(guard.admit(from("10.0.0.9")))).isEqualTo(Refusal.MAX_CONNECTIONS);
    guard.release(held.get(1));
    assertThat(guard.admit(from("10.0.0.9")).admitted()).isTrue();
    assertThat(refusal(guard.admit(from("10.0.0.10")))).isEqualTo(Refusal.MAX_CONNECTIONS);
  }

  @Test
  @DisplayName("maxConnectionsPerSource: an IPv4 address, IPv4-mapped IPv6 counted as IPv4, an IPv6 /64")
  void perSource() {
    ConnectionGuard guard = guard(limits(0, 2, 0, 0, 0));
    ConnectionGuard.Admission first = guard.admit(from("192.0.2.1"));
    assertThat(guard.admit(from("::ffff:192.0.2.1")).admitted()).isTrue();
    assertThat(refusal(guard.admit(from("192.0.2.1")))).isEqualTo(Refusal.PER_SOURCE);
    assertThat(guard.admit(from("192.0.2.2")).admitted()).isTrue();

    assertThat(guard.admit(from("2001:db8::1")).admitted()).isTrue();
    assertThat(guard.admit(from("2001:db8::ffff:2")).admitted()).isTrue();
    assertThat(refusal(guard.admit(from("2001:db8::3")))).as("same /64").isEqualTo(Refusal.PER_SOURCE);
    assertThat(guard.admit(from("2001:db8:0:1::1")).admitted()).as("next /64").isTrue();

    guard.release(first);
    assertThat(guard.admit(from("192.0.2.1")).admitted()).isTrue();
  }

  @Test
  @DisplayName("exempt sources skip the per-source limits and rates, not maxConnections")
  void exempt() {
    TcpLimits limits = new TcpLimits(5, 1, 0, 1, 1, TcpLimits.DEFAULT_EXEMPT, 0);
    ConnectionGuard guard = guard(limits);
    for (int i = 0; i < 5; i++) {
      assertThat(guard.admit(from("127.0.0.1")).admitted()).isTrue();
    }
    assertThat(guard.sources()).isZero();
    assertThat(refusal(guard.admit(from("127.0.0.1")))).isEqualTo(Refusal.MAX_CONNECTIONS);
  }

  @Test
  @DisplayName("connectionsPerSecond: a burst, then one a rate interval")
  void rate() {
    ConnectionGuard guard = guard(limits(0, 0, 2, 0, 3));
    for (int i = 0; i < 3; i++) {
      assertThat(guard.admit(from("10.0.0." + i)).admitted()).isTrue();
    }
    assertThat(refusal(guard.admit(from("10.0.0.9")))).isEqualTo(Refusal.RATE);
    now += SECOND / 2;
    assertThat(guard.admit(from("10.0.0.9")).admitted()).isTrue();
    assertThat(refusal(guard.admit(from("10.0.0.9")))).isEqualTo(Refusal.RATE);
  }

  @Test
  @DisplayName("a source over its own rate is refused without spending the listener's tokens")
  void perSourceRateBeforeListenerRate() {
    // burst 0: each bucket holds one second of its own rate, 5 and 1
    ConnectionGuard guard = guard(limits(0, 0, 5, 1, 0));
    assertThat(guard.admit(from("10.0.0.1")).admitted()).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThat(refusal(guard.admit(from("10.0.0.1")))).isEqualTo(Refusal.RATE);
    }
    for (int i = 2; i < 6; i++) {
      assertThat(guard.admit(from("10.0.0." + i)).admitted()).as("the listener's token %d", i).isTrue();
    }
    assertThat(refusal(guard.admit(from("10.0.0.9")))).isEqualTo(Refusal.RATE);
  }

  @Test
  @DisplayName("a refusal by count spends no token")
  void countBeforeRate() {
    ConnectionGuard guard = guard(limits(1, 0, 0, 1, 1));
    ConnectionGuard.Admission a = guard.admit(from("10.0.0.1"));
    for (int i = 0; i < 10; i++) {
      assertThat(refusal(guard.admit(from("10.0.0.2")))).isEqualTo(Refusal.MAX_CONNECTIONS);
    }
    guard.release(a);
    assertThat(guard.admit(from("10.0.0.2")).admitted()).isTrue();
  }

  @Test
  @DisplayName("allow/deny: deny first, then allow; an empty allow admits everyone not denied")
  void accessList() {
    AccessList denyOne = new AccessList(List.of(), List.of(Cidr.parse("10.0.0.0/8")));
    ConnectionGuard guard = guard(TcpLimits.DEFAULT, denyOne);
    assertThat(refusal(guard.admit(from("10.1.2.3")))).isEqualTo(Refusal.DENIED);
    assertThat(refusal(guard.admit(from("::ffff:10.1.2.3")))).isEqualTo(Refusal.DENIED);
    assertThat(guard.admit(from("192.0.2.1")).admitted()).isTrue();

    AccessList allowSome = new AccessList(List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")),
      List.of(Cidr.parse("192.0.2.7")));
    guard = guard(TcpLimits.DEFAULT, allowSome);
    assertThat(guard.admit(from("192.0.2.1")).admitted()).isTrue();
    assertThat(guard.admit(from("2001:db8::1")).admitted()).isTrue();
    assertThat(refusal(guard.admit(from("192.0.2.7")))).isEqualTo(Refusal.DENIED);
    assertThat(refusal(guard.admit(from("198.51.100.1")))).isEqualTo(Refusal.DENIED);
    assertThat(refusal(guard.admit(InetSocketAddress.createUnresolved("somewhere", 1)))).isEqualTo(Refusal.DENIED);
    assertThat(guard.open()).isEqualTo(2);
  }

  @Test
  @DisplayName("keeps no entry for a source with nothing open when there is no per-source rate")
  void entriesDroppedOnLastRelease() {
    ConnectionGuard guard = guard(limits(0, 2, 0, 0, 0));
    List<ConnectionGuard.Admission> held = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      held.add(guard.admit(from("10.0.1." + i)));
    }
    assertThat(guard.sources()).isEqualTo(50);
    held.forEach(guard::release);
    assertThat(guard.sources()).isZero();
  }

  @Test
  @DisplayName("keeps an idle source while its bucket refills, forgets it on the sweep after, and never keeps more than the cap")
  void idleEntriesBounded() {
    ConnectionGuard guard = new ConnectionGuard(limits(0, 0, 0, 1, 2), AccessList.OPEN, 8, () -> now);
    for (int i = 0; i < 6; i++) {
      guard.release(guard.admit(from("10.0.2." + i)));
    }
    assertThat(guard.sources()).isEqualTo(6);
    now += SECOND / 2;
    guard.sweep();
    assertThat(guard.sources()).as("buckets not full yet").isEqualTo(6);
    now += SECOND / 2;
    guard.sweep();
    assertThat(guard.sources()).isZero();

    for (int i = 0; i < 1000; i++) {
      guard.release(guard.admit(from("10.1." + (i / 250) + "." + (i % 250))));
      assertThat(guard.sources()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  @DisplayName("forgets only idle entries when over the cap, never a source with a connection open")
  void capSparesOpenSources() {
    ConnectionGuard guard = new ConnectionGuard(limits(0, 1, 0, 1, 1), AccessList.OPEN, 4, () -> now);
    ConnectionGuard.Admission busy = guard.admit(from("10.0.0.1"));
    for (int i = 0; i < 20; i++) {
      guard.release(guard.admit(from("10.0.3." + i)));
    }
    assertThat(refusal(guard.admit(from("10.0.0.1")))).as("still counted").isEqualTo(Refusal.PER_SOURCE);
    guard.release(busy);
    assertThat(guard.sources()).isLessThanOrEqualTo(4);
  }
}
