package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The cumulative counters of one listener instance at one moment, as published on
 * {@link StatsAddresses#STATS}. Counters only grow (except the gauges), so a lost message costs nothing: the
 * next one carries everything.
 *
 * @param node      the node (process) the instance runs in
 * @param listener  the listener's configured name
 * @param kind      TCP or UDP: which of the {@link Counter}s the message carries
 * @param protocol  {@code greeting} or {@code echo}
 * @param instance  unique id of this verticle instance (a new one after every restart)
 * @param timestamp epoch milliseconds when the counters were read
 * @param last      true on the final snapshot an instance sends when it stops
 * @param counters  the instance's counters since it started
 * @param clusterNodeId     the Vert.x cluster node id of the process the instance runs in (a new one every
 *                          time the process starts), or {@code null} when it is not clustered
 * @param publishIntervalMs how often the instance publishes, so a receiver can tell when it has gone
 *                          silent; 0 when unknown
 */
public record StatsSnapshot(
  String node,
  String listener,
  ListenerKind kind,
  String protocol,
  String instance,
  long timestamp,
  boolean last,
  Counters counters,
  String clusterNodeId,
  long publishIntervalMs) {

  public StatsSnapshot {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(counters, "counters");
  }

  /** A snapshot of a process that is not clustered, with no publish interval given. */
  public StatsSnapshot(String node, String listener, ListenerKind kind, String protocol, String instance, long timestamp,
                       boolean last, Counters counters) {
    this(node, listener, kind, protocol, instance, timestamp, last, counters, null, 0);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("node", node)
      .put("listener", listener)
      .put("kind", kind.jsonName())
      .put("protocol", protocol)
      .put("instance", instance)
      .put("timestamp", timestamp)
      .put("last", last)
      .put("counters", counters.toJson(Counter.of(kind)));
    if (clusterNodeId != null) {
      json.put("clusterNodeId", clusterNodeId);
    }
    if (publishIntervalMs > 0) {
      json.put("publishIntervalMs", publishIntervalMs);
    }
    return json;
  }

  /** Reads a snapshot; throws {@link IllegalArgumentException} when a field is missing or of the wrong type. */
  public static StatsSnapshot fromJson(JsonObject json) {
    try {
      JsonObject counters = json.getJsonObject("counters");
      Long timestamp = json.getLong("timestamp");
      if (counters == null || timestamp == null) {
        throw new IllegalArgumentException("a stats snapshot needs counters and timestamp");
      }
      return new StatsSnapshot(json.getString("node"), json.getString("listener"),
        ListenerKind.fromJson(json.getString("kind")), json.getString("protocol"), json.getString("instance"), timestamp,
        json.getBoolean("last", false), Counters.fromJson(counters), json.getString("clusterNodeId"),
        json.getLong("publishIntervalMs", 0L));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a stats snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * A counter by its name in the message ({@code "linesAnswered"}), for code that reads counters by name, such
   * as tests that wait for one; {@link IllegalArgumentException} for a name that is no counter's.
   */
  public long counter(String jsonName) {
    return counters.get(Counter.fromJson(jsonName));
  }
}
