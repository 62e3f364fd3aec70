package dev.netserver.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@code limits} of a UDP listener: token buckets for the datagrams it answers, per source (an IPv4
 * address or an IPv6 /64, see {@link Cidr#sourceKey}) and overall. 0 turns a rate off.
 *
 * @param datagramsPerSecondPerSource rate per source; 0 = off
 * @param datagramsPerSecond          rate over all sources; 0 = off
 * @param burst                       tokens each bucket holds; 0 = one second of its own rate
 * @param exempt                      sources exempt from the per-source rate (not from the overall one)
 */
public record UdpLimits(int datagramsPerSecondPerSource, int datagramsPerSecond, int burst, List<Cidr> exempt) {

  public static final int DEFAULT_DATAGRAMS_PER_SECOND_PER_SOURCE = 1000;
  public static final int MAX_RATE = 10_000_000;

  public static final UdpLimits DEFAULT =
    new UdpLimits(DEFAULT_DATAGRAMS_PER_SECOND_PER_SOURCE, 0, 0, TcpLimits.DEFAULT_EXEMPT);

  public UdpLimits {
    exempt = List.copyOf(exempt);
    if (datagramsPerSecondPerSource < 0 || datagramsPerSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("limit out of range");
    }
  }

  /** The capacity of a bucket filling at {@code rate} per second: {@link #burst}, or one second's worth. */
  public int burstFor(int rate) {
    return burst > 0 ? burst : rate;
  }

  /** Whether {@code source} is exempt from the per-source rate. */
  public boolean isExempt(InetAddress source) {
    return Cidr.anyContains(exempt, source);
  }

  static UdpLimits read(ConfigReader r) {
    String rule = "must be an integer in 0.." + MAX_RATE + " (0 = off)";
    int perSource = r.integer("datagramsPerSecondPerSource", DEFAULT_DATAGRAMS_PER_SECOND_PER_SOURCE, 0, MAX_RATE, rule);
    int rate = r.integer("datagramsPerSecond", 0, 0, MAX_RATE, rule);
    int burst = r.integer("burst", 0, 1, MAX_RATE);
    List<Cidr> exempt = Cidr.list(r, "exempt", TcpLimits.DEFAULT_EXEMPT);
    r.finish();

    // only when written: the default per-source rate above a low overall rate is no one's mistake
    if (rate > 0 && perSource > rate && r.has("datagramsPerSecondPerSource")) {
      r.problems().invalid(r.at("datagramsPerSecondPerSource"), "must not exceed datagramsPerSecond (" + rate
        + "), or one source alone could never reach it", perSource);
    }
    if (r.has("burst") && rate == 0 && perSource == 0) {
      r.problems().add(r.at("burst") + " has no effect: neither datagramsPerSecond nor datagramsPerSecondPerSource"
        + " is set (a burst is the size of their token buckets)");
    }
    return new UdpLimits(perSource, rate, burst, exempt);
  }
}
