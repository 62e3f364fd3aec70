package dev.netserver.config;

import io.vertx.core.json.JsonObject;

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
   * Puts Vert.x's keys for this on a listener's {@code NetServerOptions} JSON: a {@code TrafficShapingOptions},
   * which Vert.x makes one Netty {@code GlobalTrafficShapingHandler} of, shared by every instance of the
   * listener (the servers sharing a port use the first one's; measured in tcp.BandwidthTest).
   */
  public void putVertxOptions(JsonObject json) {
    if (limited()) {
      json.put("trafficShapingOptions", new JsonObject()
        .put("inboundGlobalBandwidth", inboundBytesPerSecond)
        .put("outboundGlobalBandwidth", outboundBytesPerSecond));
    }
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
