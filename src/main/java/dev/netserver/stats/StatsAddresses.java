package dev.netserver.stats;

/** The event bus addresses of netserver. Bodies are JSON objects; the README documents each format. */
public final class StatsAddresses {

  /** Published by every listener instance every {@code stats.publishIntervalMs}: a {@link StatsSnapshot}. */
  public static final String STATS = "netserver.stats";

  /** Request/reply: any body; the reply is the aggregate of every instance's latest snapshot. */
  public static final String QUERY = "netserver.stats.query";

  private StatsAddresses() {
  }
}
