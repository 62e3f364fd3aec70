package dev.netserver.stats;

/** The event bus addresses of netserver. Bodies are JSON objects; the README documents each format. */
public final class StatsAddresses {

  /** Published by every listener instance every {@code stats.publishIntervalMs}: a {@link StatsSnapshot}. */
  public static final String STATS = "netserver.stats";

  /**
   * Request/reply: any body; the reply is the aggregate of every instance's latest snapshot. Clustered, the
   * event bus hands a request to one node's reporting verticle; each holds the whole cluster's view.
   */
  public static final String QUERY = "netserver.stats.query";

  /**
   * Request/reply between reporting verticles: a reporting verticle that starts in a running cluster asks one
   * that is already there for what it knows, so that its totals include the nodes that departed before it
   * came. The reply ({@link StatsAggregator#export}):
   * <pre>
   * {"instances": [{"snapshot": {...}, "ageMs": 1200}, ...],
   *  "departed": [{"node": "n2", "reason": "left", "clusterNodeId": "...", "ageMs": 64000,
   *                "listeners": {"greeter": {"kind": "tcp", "protocol": "greeting", "counters": {...}}}}, ...],
   *  "forgotten": [{"node": "n2", "instance": "...", "ageMs": 3000}, ...]}
   * </pre>
   * {@code instances}: every instance still held and its latest snapshot; {@code departed}: per node, the
   * summed counts of its instances that are gone for good and were forgotten, and the reason and age of the
   * one heard from last; {@code forgotten}: the instances folded into those totals recently.
   */
  public static final String SYNC = "netserver.stats.sync";

  /** Request/reply like {@link #QUERY}, answered by the node of that name: {@code netserver.stats.query.<node>}. */
  public static String nodeQuery(String node) {
    return QUERY + "." + node;
  }

  private StatsAddresses() {
  }
}
