package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrafficShapingOptions;

/**
 * A TCP listener's {@code bandwidth}: the most bytes per second the whole listener (all its instances and
 * connections together) reads and writes. 0 = no limit.
 */
public record BandwidthConfig(long inboundBytesPerSecond, long outboundBytesPerSecond) {

  public static final BandwidthConfig UNLIMITED = new BandwidthConfig(0, 0);

  public BandwidthConfig {
    if (inboundBytesPerSecond < 0 || outboundBytesPerSecond < 0) {
      throw new IllegalArgumentException("bandwidth out of range");
    }
  }

  /** Whether either direction is limited. */
  public boolean limited() {
    return inboundBytesPerSecond > 0 || outboundBytesPerSecond > 0;
  }

  /**
   * Puts Vert.x's keys for this on the {@code NetServerOptions} JSON of a listener bound to {@code servers}
   * addresses (one NetServer each): a {@code TrafficShapingOptions}, which Vert.x makes one Netty
   * {@code GlobalTrafficShapingHandler} of per address, shared by every instance of the listener there (Vert.x
   * 5.0.7's servers sharing a port use the first one's; measured: tcp.BandwidthTest). So the limit is not
   * divided by instances, but split evenly among the addresses, so that the total is never more than the
   * number configured.
   */
  public void putVertxOptions(JsonObject json, int servers) {
    if (limited()) {
      // from an options object, not a bare JSON: TrafficShapingOptions(JsonObject) leaves every key it is not
      // given at 0 or null, and a null time unit fails the listen with a NullPointerException. And Vert.x 5.0.7's
      // toJson writes the unit of maxDelayToWait as "maxDelayToWaitTimeUnit", which its fromJson ignores (it
      // reads "maxDelayToWaitUnit"), so that key is restated under the name that is read.
      TrafficShapingOptions shaping = new TrafficShapingOptions()
        .setInboundGlobalBandwidth(share(inboundBytesPerSecond, servers))
        .setOutboundGlobalBandwidth(share(outboundBytesPerSecond, servers));
      json.put("trafficShapingOptions", shaping.toJson().put("maxDelayToWaitUnit", shaping.getMaxDelayToWaitTimeUnit().name()));
    }
  }

  /** One server's share of a limit: at least 1 byte per second, 0 (no limit) staying 0. */
  private static long share(long limit, int servers) {
    return limit == 0 ? 0 : Math.max(1, limit / Math.max(1, servers));
  }

  /** Reads a listener's {@code bandwidth} object ({@link #UNLIMITED} when absent). */
  static BandwidthConfig read(ConfigReader listener) {
    ConfigReader r = listener.object("bandwidth");
    String rule = "must be an integer in 0.." + Integer.MAX_VALUE + " (bytes per second; 0 = no limit)";
    int in = r.integer("inboundBytesPerSecond", 0, 0, Integer.MAX_VALUE, rule);
    int out = r.integer("outboundBytesPerSecond", 0, 0, Integer.MAX_VALUE, rule);
    r.finish();
    return new BandwidthConfig(in, out);
  }
}
