package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A stats query reply as text, in the words of the log's summary lines, nodes in name order:
 * <pre>
 * answered by netserver-1: 3 live nodes, 0 departed, 4 cluster members
 * cluster totals
 *   greeter tcp: 30 accepted (0 active), 2.0 conn/s, in 300 B, out 2.2 KiB, 30 answered
 * netserver-1 (live)
 *   greeter tcp: 10 accepted (0 active), ...
 * </pre>
 */
public final class StatsText {

  private StatsText() {
  }

  public static List<String> lines(JsonObject reply) {
    List<String> lines = new ArrayList<>();
    JsonObject cluster = reply.getJsonObject("cluster", new JsonObject());
    int live = cluster.getInteger("liveNodes", 0);
    String head = "answered by " + reply.getString("node") + ": " + live + " live node" + (live == 1 ? "" : "s")
      + ", " + cluster.getInteger("departedNodes", 0) + " departed";
    if (cluster.containsKey("members")) {
      head += ", " + cluster.getInteger("members") + " cluster members";
    }
    lines.add(head);
    lines.add(cluster.getBoolean("clustered", false) ? "cluster totals" : "totals");
    addListeners(lines, reply.getJsonObject("listeners", new JsonObject()));
    JsonObject nodes = reply.getJsonObject("nodes", new JsonObject());
    for (String name : new java.util.TreeSet<>(nodes.fieldNames())) {
      JsonObject node = nodes.getJsonObject(name);
      String state = node.getString("state", "?");
      if (node.containsKey("reason")) {
        state += ", " + node.getString("reason");
      }
      lines.add(name + " (" + state + ")");
      addListeners(lines, node.getJsonObject("listeners", new JsonObject()));
    }
    return lines;
  }

  private static void addListeners(List<String> lines, JsonObject listeners) {
    for (String name : listeners.fieldNames()) {
      lines.add("  " + SummaryLine.of(ListenerTotals.fromJson(name, listeners.getJsonObject(name))));
    }
  }
}
