package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The stats aggregator")
class StatsAggregatorTest {

  private final StatsAggregator aggregator = new StatsAggregator();

  private static StatsSnapshot tcp(String node, String instance, long t, boolean last, long accepted, long active) {
    return new StatsSnapshot(node, "greeter", "tcp", "greeting", instance, t, last,
      new JsonObject().put("connectionsAccepted", accepted).put("connectionsActive", active).put("bytesIn", accepted * 10));
  }

  @Test
  @DisplayName("sums the latest snapshot of every instance of a listener")
  void sumsInstances() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n1", "a", 2000, false, 7, 2));
    aggregator.record(tcp("n1", "b", 2000, false, 3, 1));
    ListenerTotals t = aggregator.byListener().get("greeter");
    assertThat(t.counter("connectionsAccepted")).isEqualTo(10);
    assertThat(t.counter("connectionsActive")).isEqualTo(3);
    assertThat(t.liveInstances()).isEqualTo(2);
  }

  @Test
  @DisplayName("computes per-second rates from an instance's last two snapshots, not for gauges")
  void rates() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n1", "a", 3000, false, 25, 4));
    JsonObject json = aggregator.toJson("n1", 3000).getJsonObject("listeners").getJsonObject("greeter");
    assertThat(json.getJsonObject("rates").getDouble("connectionsAccepted")).isEqualTo(10.0);
    assertThat(json.getJsonObject("rates").getDouble("bytesIn")).isEqualTo(100.0);
    assertThat(json.getJsonObject("rates").containsKey("connectionsActive")).isFalse();
  }

  @Test
  @DisplayName("keeps a stopped instance's counts in the totals, with no active connections, rate or live instance")
  void stoppedInstance() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 2));
    aggregator.record(tcp("n1", "a", 2000, true, 9, 1));
    aggregator.record(tcp("n1", "b", 2500, false, 1, 1));
    ListenerTotals t = aggregator.byListener().get("greeter");
    assertThat(t.counter("connectionsAccepted")).isEqualTo(10);
    assertThat(t.counter("connectionsActive")).isEqualTo(1);
    assertThat(t.liveInstances()).isEqualTo(1);
    assertThat(aggregator.allStopped("n1")).isFalse();
  }

  @Test
  @DisplayName("ignores a snapshot older than the one it holds, so totals never go backwards")
  void reordered() {
    aggregator.record(tcp("n1", "a", 2000, false, 9, 0));
    aggregator.record(tcp("n1", "a", 1000, false, 5, 0));
    assertThat(aggregator.byListener().get("greeter").counter("connectionsAccepted")).isEqualTo(9);
  }

  @Test
  @DisplayName("ignores anything an instance sends after its last snapshot")
  void afterLast() {
    aggregator.record(tcp("n1", "a", 1000, true, 9, 0));
    aggregator.record(tcp("n1", "a", 2000, false, 20, 3));
    assertThat(aggregator.byListener().get("greeter").counter("connectionsAccepted")).isEqualTo(9);
    assertThat(aggregator.allStopped("n1")).isTrue();
  }

  @Test
  @DisplayName("answers queries with totals per listener and per node")
  void json() {
    aggregator.record(tcp("n1", "a", 1000, false, 5, 1));
    aggregator.record(tcp("n2", "b", 1000, false, 2, 0));
    JsonObject json = aggregator.toJson("n1", 1234);
    assertThat(json.getString("node")).isEqualTo("n1");
    assertThat(json.getLong("timestamp")).isEqualTo(1234);
    JsonObject greeter = json.getJsonObject("listeners").getJsonObject("greeter");
    assertThat(greeter.getString("kind")).isEqualTo("tcp");
    assertThat(greeter.getString("protocol")).isEqualTo("greeting");
    assertThat(greeter.getInteger("instances")).isEqualTo(2);
    assertThat(greeter.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(7);
    JsonObject n2 = json.getJsonObject("nodes").getJsonObject("n2").getJsonObject("listeners").getJsonObject("greeter");
    assertThat(n2.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(2);
  }
}
