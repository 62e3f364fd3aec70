package dev.netserver.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@code limits} of a TCP listener: how many clients it serves at once and how fast it accepts them,
 * overall and per source (an IPv4 address or an IPv6 /64, see {@link Cidr#sourceKey}), and how many bytes
 * of unfinished lines it holds. 0 turns a limit off.
 *
 * @param maxConnections                connections open at once; 0 = no limit
 * @param maxConnectionsPerSource       connections open at once from one source; 0 = no limit
 * @param connectionsPerSecond          token bucket rate of new connections; 0 = off
 * @param connectionsPerSecondPerSource the same per source; 0 = off
 * @param burst                         tokens each of those buckets holds; 0 = one second of its own rate
 * @param exempt                        sources exempt from every per-source limit and rate (not from the others)
 * @param maxBufferedBytes              greeting: bytes of unfinished lines held across the listener's
 *                                      connections; 0 = no limit
 */
public record TcpLimits(
  int maxConnections,
  int maxConnectionsPerSource,
  int connectionsPerSecond,
  int connectionsPerSecondPerSource,
  int burst,
  List<Cidr> exempt,
  int maxBufferedBytes) {

  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 64 << 20;
  /** Local benchmarks and health checks are never throttled. */
  public static final List<Cidr> DEFAULT_EXEMPT = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
  public static final int MAX_CONNECTIONS = 10_000_000;
  public static final int MAX_RATE = 1_000_000;

  public static final TcpLimits DEFAULT =
    new TcpLimits(DEFAULT_MAX_CONNECTIONS, 0, 0, 0, 0, DEFAULT_EXEMPT, DEFAULT_MAX_BUFFERED_BYTES);

  public TcpLimits {
    exempt = List.copyOf(exempt);
    if (maxConnections < 0 || maxConnectionsPerSource < 0 || connectionsPerSecond < 0
      || connectionsPerSecondPerSource < 0 || burst < 0 || maxBufferedBytes < 0) {
      throw new IllegalArgumentException("limit out of range");
    }
  }

  /** The capacity of a bucket filling at {@code rate} per second: {@link #burst}, or one second's worth. */
  public int burstFor(int rate) {
    return burst > 0 ? burst : rate;
  }

  /** Whether {@code source} is exempt from the per-source limits. */
  public boolean isExempt(InetAddress source) {
    return Cidr.anyContains(exempt, source);
  }

  static TcpLimits read(ConfigReader r) {
    int max = r.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 0, MAX_CONNECTIONS,
      "must be an integer in 0.." + MAX_CONNECTIONS + " (0 = no limit)");
    int perSource = r.integer("maxConnectionsPerSource", 0, 0, MAX_CONNECTIONS,
      "must be an integer in 0.." + MAX_CONNECTIONS + " (0 = no limit)");
    int rate = r.integer("connectionsPerSecond", 0, 0, MAX_RATE, "must be an integer in 0.." + MAX_RATE + " (0 = off)");
    int ratePerSource = r.integer("connectionsPerSecondPerSource", 0, 0, MAX_RATE,
      "must be an integer in 0.." + MAX_RATE + " (0 = off)");
    int burst = r.integer("burst", 0, 1, MAX_RATE);
    List<Cidr> exempt = Cidr.list(r, "exempt", DEFAULT_EXEMPT);
    int buffered = r.integer("maxBufferedBytes", DEFAULT_MAX_BUFFERED_BYTES, 0, Integer.MAX_VALUE,
      "must be an integer in 0.." + Integer.MAX_VALUE + " (0 = no limit)");
    r.finish();

    if (max > 0 && perSource > max) {
      r.problems().invalid(r.at("maxConnectionsPerSource"), "must not exceed maxConnections (" + max
        + "), or one source alone could never reach it", perSource);
    }
    if (rate > 0 && ratePerSource > rate) {
      r.problems().invalid(r.at("connectionsPerSecondPerSource"), "must not exceed connectionsPerSecond (" + rate
        + "), or one source alone could never reach it", ratePerSource);
    }
    if (r.has("burst") && rate == 0 && ratePerSource == 0) {
      r.problems().add(r.at("burst") + " has no effect: neither connectionsPerSecond nor connectionsPerSecondPerSource"
        + " is set (a burst is the size of their token buckets)");
    }
    return new TcpLimits(max, perSource, rate, ratePerSource, burst, exempt, buffered);
  }
}
