package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.netserver.stats.Counter.BYTES_IN;
import static dev.netserver.stats.Counter.CONNECTIONS_ACCEPTED;
import static dev.netserver.stats.Counter.CONNECTIONS_ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The stats aggregator")
class StatsAggregatorTest {

  private final StatsAggregator aggregator = new StatsAggregator();

  private static StatsSnapshot tcp(String node, String instance, long t, boolean last, long accepted, long active) {
    return new StatsSnapshot(node, "greeter", ListenerKind.TCP, "greeting", instance, t, last,
      counters(accepted, active).with(BYTES_IN, accepted * 10));
  }

  /** A snapshot from process {@code clusterNodeId}, publishing every {@code interval} ms. */
  private static StatsSnapshot clustered(String node, String clusterNodeId, String instance, long t, long interval,
                                         long accepted, long active) {
    return new StatsSnapshot(node, "greeter", ListenerKind.TCP, "greeting", instance, t, false,
      counters(accepted, active), clusterNodeId, interval);
  }

  private static Counters counters(long accepted, long active) {
    return Counters.ZERO.with(CONNECTIONS_ACCEPTED, accepted).with(CONNECTIONS_ACTIVE, active);
  }

  private static ClusterView standalone() {
    return ClusterView.standalone(10_000);
  }

  /** This process is {@code self}; the cluster's members are {@code members}. */
  private static ClusterView view(long now, String self, String... members) {
    return new ClusterView(now, self, Set.of(members));
  }

  private long accepted(ClusterView view) {
    ListenerTotals t = aggregator.byListener(view).get("greeter");
    return t == null ? 0 : t.counters().get(Counter.CONNECTIONS_ACCEPTED);
  }

  @Test
  @DisplayName("sums the latest snapshot of every instance of a listener")
  void sumsInstances() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n1", "a", 2000, false, 7, 2));
    aggregator.record(tcp("n1", "b", 2000, false, 3, 1));
    ListenerTotals t = aggregator.byListener(standalone()).get("greeter");
    assertThat(t.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(10);
    assertThat(t.counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(3);
    assertThat(t.liveInstances()).isEqualTo(2);
  }

  @Test
  @DisplayName("computes per-second rates from an instance's last two snapshots, not for gauges")
  void rates() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n1", "a", 3000, false, 25, 4));
    JsonObject json = aggregator.toJson("n1", ClusterView.standalone(3000)).getJsonObject("listeners").getJsonObject("greeter");
    assertThat(json.getJsonObject("rates").getDouble("connectionsAccepted")).isEqualTo(10.0);
    assertThat(json.getJsonObject("rates").getDouble("bytesIn")).isEqualTo(100.0);
    assertThat(json.getJsonObject("rates").containsKey("connectionsActive")).isFalse();
  }

  @Test
  @DisplayName("keeps a stopped instance's counts in the totals, also as departed, with no active connections, rate or live instance")
  void stoppedInstance() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 2));
    aggregator.record(tcp("n1", "a", 2000, true, 9, 1));
    aggregator.record(tcp("n1", "b", 2500, false, 1, 1));
    ListenerTotals t = aggregator.byListener(standalone()).get("greeter");
    assertThat(t.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(10);
    assertThat(t.counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(1);
    assertThat(t.liveInstances()).isEqualTo(1);
    assertThat(t.departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(9);
    assertThat(t.toJson().getJsonObject("departed").containsKey("connectionsActive")).isFalse();
    assertThat(aggregator.allStopped("n1", null)).isFalse();
  }

  @Test
  @DisplayName("ignores a snapshot older than the one it holds, so totals never go backwards")
  void reordered() {
    aggregator.record(tcp("n1", "a", 2000, false, 9, 0));
    aggregator.record(tcp("n1", "a", 1000, false, 5, 0));
    assertThat(accepted(standalone())).isEqualTo(9);
  }

  @Test
  @DisplayName("ignores anything an instance sends after its last snapshot")
  void afterLast() {
    aggregator.record(tcp("n1", "a", 1000, true, 9, 0));
    aggregator.record(tcp("n1", "a", 2000, false, 20, 3));
    assertThat(accepted(standalone())).isEqualTo(9);
    assertThat(aggregator.allStopped("n1", null)).isTrue();
  }

  @Test
  @DisplayName("answers queries with totals per listener, per node and a cluster section")
  void json() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n2", "b", 1000, false, 2, 0));
    JsonObject json = aggregator.toJson("n1", ClusterView.standalone(1234));
    assertThat(json.getString("node")).isEqualTo("n1");
    assertThat(json.containsKey("clusterNodeId")).isFalse();
    assertThat(json.getLong("timestamp")).isEqualTo(1234);
    JsonObject greeter = json.getJsonObject("listeners").getJsonObject("greeter");
    assertThat(greeter.getString("kind")).isEqualTo("tcp");
    assertThat(greeter.getString("protocol")).isEqualTo("greeting");
    assertThat(greeter.getInteger("instances")).isEqualTo(2);
    assertThat(greeter.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(7);
    assertThat(greeter.getJsonObject("departed")).isEmpty();
    JsonObject n2 = json.getJsonObject("nodes").getJsonObject("n2");
    assertThat(n2.getString("state")).isEqualTo("live");
    assertThat(n2.containsKey("reason")).isFalse();
    assertThat(n2.getLong("lastSeen")).isEqualTo(1000);
    assertThat(n2.getJsonObject("listeners").getJsonObject("greeter").getJsonObject("counters").getLong("connectionsAccepted"))
      .isEqualTo(2);
    assertThat(json.getJsonObject("cluster"))
      .isEqualTo(new JsonObject().put("clustered", false).put("liveNodes", 2).put("departedNodes", 0));
  }

  @Nested
  @DisplayName("clustered")
  class Clustered {

    @Test
    @DisplayName("an instance whose process is no longer a member keeps its counts, as departed, with no active connections, rate or live instance")
    void leftTheCluster() {
      aggregator.record(clustered("n2", "B", "x", 1000, 1000, 4, 1), 1000);
      aggregator.record(clustered("n2", "B", "x", 2000, 1000, 9, 3), 2000);
      assertThat(aggregator.byListener(view(2100, "A", "A", "B")).get("greeter").counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(3);

      ClusterView gone = view(2100, "A", "A");
      ListenerTotals t = aggregator.byListener(gone).get("greeter");
      assertThat(t.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(9);
      assertThat(t.counters().get(Counter.CONNECTIONS_ACTIVE)).isZero();
      assertThat(t.liveInstances()).isZero();
      assertThat(t.departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(9);
      assertThat(t.toJson().getJsonObject("rates").getDouble("connectionsAccepted")).isZero();
      NodeState n2 = aggregator.nodes(gone).get("n2");
      assertThat(n2.liveness()).isEqualTo(Liveness.LEFT);
      assertThat(n2.clusterNodeId()).isEqualTo("B");
    }

    @Test
    @DisplayName("another process's instance that sent nothing for 3 publish intervals is silent until it publishes again")
    void silent() {
      aggregator.record(clustered("n2", "B", "x", 1000, 1000, 4, 2), 1000);
      assertThat(aggregator.nodes(view(4000, "A", "A", "B")).get("n2").liveness()).isEqualTo(Liveness.LIVE);
      assertThat(aggregator.nodes(view(4001, "A", "A", "B")).get("n2").liveness()).isEqualTo(Liveness.SILENT);
      assertThat(aggregator.byListener(view(4001, "A", "A", "B")).get("greeter").counters().get(Counter.CONNECTIONS_ACTIVE)).isZero();

      aggregator.record(clustered("n2", "B", "x", 4500, 1000, 6, 1), 4500);
      assertThat(aggregator.nodes(view(4501, "A", "A", "B")).get("n2").liveness()).isEqualTo(Liveness.LIVE);
      assertThat(aggregator.byListener(view(4501, "A", "A", "B")).get("greeter").counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(1);
    }

    @Test
    @DisplayName("silence counts only after 2 s however short the publish interval, and after 3 s when the interval is unknown")
    void silenceFloor() {
      assertThat(StatsAggregator.silentAfterMs(100)).isEqualTo(2000);
      assertThat(StatsAggregator.silentAfterMs(0)).isEqualTo(3000);
      assertThat(StatsAggregator.silentAfterMs(5000)).isEqualTo(15_000);
    }

    @Test
    @DisplayName("this process's own instances are live until their last snapshot, however long ago they published")
    void ownInstances() {
      aggregator.record(clustered("n1", "A", "x", 1000, 1000, 4, 2), 1000);
      ClusterView muchLater = view(1_000_000, "A", "A");
      assertThat(aggregator.nodes(muchLater).get("n1").liveness()).isEqualTo(Liveness.LIVE);
      assertThat(aggregator.byListener(muchLater).get("greeter").counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(2);
    }

    @Test
    @DisplayName("a node that restarts adds its new counts to those of its earlier process, once")
    void restart() {
      aggregator.record(clustered("n2", "B1", "x", 1000, 1000, 10, 1), 1000);
      // B1 is killed and the node comes back as process B2, counting from zero
      aggregator.record(clustered("n2", "B2", "y", 5000, 1000, 3, 1), 5000);
      ClusterView view = view(5100, "A", "A", "B2");
      assertThat(accepted(view)).isEqualTo(13);
      aggregator.record(clustered("n2", "B2", "y", 6000, 1000, 5, 0), 6000);
      view = view(6100, "A", "A", "B2");
      ListenerTotals t = aggregator.byListener(view).get("greeter");
      assertThat(t.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(15);
      assertThat(t.departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(10);
      assertThat(t.liveInstances()).isEqualTo(1);
      NodeState n2 = aggregator.nodes(view).get("n2");
      assertThat(n2.liveness()).isEqualTo(Liveness.LIVE);
      assertThat(n2.clusterNodeId()).isEqualTo("B2");
      assertThat(n2.liveClusterNodeIds()).containsExactly("B2");
    }

    @Test
    @DisplayName("totals never go backwards through joins, traffic, a kill, a silence and a restart")
    void monotonic() {
      List<Long> totals = new ArrayList<>();
      aggregator.record(clustered("n1", "A", "a", 1000, 1000, 5, 1), 1000);
      aggregator.record(clustered("n2", "B1", "b", 1000, 1000, 7, 2), 1000);
      totals.add(accepted(view(1500, "A", "A", "B1")));
      aggregator.record(clustered("n2", "B1", "b", 2000, 1000, 9, 0), 2000);
      totals.add(accepted(view(2500, "A", "A", "B1")));
      totals.add(accepted(view(2600, "A", "A")));          // B1 killed
      aggregator.record(clustered("n2", "B2", "c", 3000, 1000, 1, 0), 3000);
      totals.add(accepted(view(3100, "A", "A", "B2")));    // back as B2
      totals.add(accepted(view(9000, "A", "A", "B2")));    // B2 silent
      aggregator.record(clustered("n1", "A", "a", 9500, 1000, 6, 0), 9500);
      totals.add(accepted(view(9600, "A", "A", "B2")));
      assertThat(totals).containsExactly(12L, 14L, 14L, 15L, 15L, 16L);
    }

    @Test
    @DisplayName("a node is live while any of its processes is, and otherwise departed for the reason of the one heard last")
    void nodeStates() {
      aggregator.record(clustered("n2", "B1", "x", 1000, 1000, 1, 0), 1000);
      aggregator.record(new StatsSnapshot("n2", "greeter", ListenerKind.TCP, "greeting", "y", 2000, true,
        counters(2, 0), "B2", 1000), 2000);
      assertThat(aggregator.nodes(view(2100, "A", "A", "B2")).get("n2").liveness()).isEqualTo(Liveness.STOPPED);
      aggregator.record(clustered("n2", "B3", "z", 3000, 1000, 0, 0), 3000);
      NodeState n2 = aggregator.nodes(view(3100, "A", "A", "B3")).get("n2");
      assertThat(n2.liveness()).isEqualTo(Liveness.LIVE);
      assertThat(n2.lastSeen()).isEqualTo(3000);
      assertThat(aggregator.nodes(view(3200, "A", "A")).get("n2").liveness()).isEqualTo(Liveness.LEFT);
    }

    @Test
    @DisplayName("lists the processes when two live ones share a node name")
    void duplicateName() {
      aggregator.record(clustered("n2", "B", "x", 1000, 1000, 1, 0), 1000);
      aggregator.record(clustered("n2", "C", "y", 1000, 1000, 1, 0), 1000);
      JsonObject n2 = aggregator.toJson("n1", view(1100, "A", "A", "B", "C")).getJsonObject("nodes").getJsonObject("n2");
      assertThat(n2.getJsonArray("liveClusterNodeIds")).containsExactly("B", "C");
      assertThat(aggregator.toJson("n1", view(1100, "A", "A", "B")).getJsonObject("nodes").getJsonObject("n2")
        .containsKey("liveClusterNodeIds")).isFalse();
    }

    @Test
    @DisplayName("waits at shutdown only for the instances of this process, not for an earlier one of the same name")
    void allStoppedOfThisProcess() {
      aggregator.record(clustered("n1", "A1", "x", 1000, 1000, 1, 0), 1000); // killed: never sent its last
      aggregator.record(new StatsSnapshot("n1", "greeter", ListenerKind.TCP, "greeting", "y", 2000, true,
        counters(2, 0), "A2", 1000), 2000);
      assertThat(aggregator.allStopped("n1", "A2")).isTrue();
      assertThat(aggregator.allStopped("n1", "A1")).isFalse();
      assertThat(aggregator.ofProcess("n1", "A2").get("greeter").counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(2);
    }

    @Test
    @DisplayName("a reporter that starts later takes in what another one knows, departed nodes included, with their age")
    void exportImport() {
      aggregator.record(clustered("n1", "A", "a", 1000, 1000, 5, 1), 1000);
      aggregator.record(clustered("n2", "B", "b", 1500, 1000, 7, 2), 1500);
      JsonObject exported = aggregator.export(2000);

      StatsAggregator later = new StatsAggregator();
      // another machine, whose clock is 1 h ahead
      long hourAhead = 3_600_000;
      later.record(clustered("n1", "A", "a", 2500, 1000, 6, 0), 2500 + hourAhead);
      assertThat(later.importFrom(exported.put("instances", exported.getJsonArray("instances").copy().add("junk")),
        2100 + hourAhead)).isEqualTo(2);
      ClusterView view = view(2100 + hourAhead, "C", "A", "C");
      assertThat(later.byListener(view).get("greeter").counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(13);
      assertThat(later.nodes(view).get("n2").liveness()).isEqualTo(Liveness.LEFT);
      assertThat(later.nodes(view).get("n2").lastSeen()).isEqualTo(1600 + hourAhead);
      assertThat(later.nodes(view).get("n1").lastSeen()).isEqualTo(2500 + hourAhead);
    }

    @Test
    @DisplayName("answers with the states of the nodes, their departed counts and how many nodes are live")
    void json() {
      aggregator.record(clustered("n1", "A", "a", 1000, 1000, 5, 1), 1000);
      aggregator.record(clustered("n2", "B", "b", 1000, 1000, 7, 2), 1000);
      aggregator.record(clustered("n3", "C", "c", 1000, 1000, 1, 0), 1000);
      JsonObject json = aggregator.toJson("n1", view(1500, "A", "A", "C", "Q"));
      assertThat(json.getString("clusterNodeId")).isEqualTo("A");
      assertThat(json.getJsonObject("cluster")).isEqualTo(new JsonObject()
        .put("clustered", true).put("liveNodes", 2).put("departedNodes", 1).put("members", 3));
      JsonObject n2 = json.getJsonObject("nodes").getJsonObject("n2");
      assertThat(n2.getString("state")).isEqualTo("departed");
      assertThat(n2.getString("reason")).isEqualTo("left");
      assertThat(n2.getString("clusterNodeId")).isEqualTo("B");
      JsonObject greeter = json.getJsonObject("listeners").getJsonObject("greeter");
      assertThat(greeter.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(13);
      assertThat(greeter.getJsonObject("counters").getLong("connectionsActive")).isEqualTo(1);
      assertThat(greeter.getJsonObject("departed").getLong("connectionsAccepted")).isEqualTo(7);
      assertThat(greeter.getInteger("instances")).isEqualTo(2);
    }
  }
}
