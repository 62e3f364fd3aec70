package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The stats reply as text")
class StatsTextTest {

  @Test
  @DisplayName("says who answered and how many nodes are live, then the cluster totals, then each node in name order with its state")
  void text() {
    StatsAggregator aggregator = new StatsAggregator();
    Counters counters = Counters.ZERO.with(Counter.CONNECTIONS_ACCEPTED, 4).with(Counter.CONNECTIONS_ACTIVE, 1)
      .with(Counter.LINES_ANSWERED, 3).with(Counter.BYTES_IN, 12).with(Counter.BYTES_OUT, 300);
    aggregator.record(new StatsSnapshot("n2", "greeter", ListenerKind.TCP, "greeting", "b", 1000, false, counters, "B", 1000), 1000);
    aggregator.record(new StatsSnapshot("n1", "greeter", ListenerKind.TCP, "greeting", "a", 1000, false, counters, "A", 1000), 1000);
    JsonObject reply = aggregator.toJson("n1", new ClusterView(1500, "A", Set.of("A", "Q")));
    assertThat(StatsText.lines(reply)).containsExactly(
      "answered by n1: 1 live node, 1 departed, 2 cluster members",
      "cluster totals",
      "  greeter tcp: 8 accepted (1 active), 0.0 conn/s, in 24 B, out 600 B, 6 answered",
      "n1 (live)",
      "  greeter tcp: 4 accepted (1 active), 0.0 conn/s, in 12 B, out 300 B, 3 answered",
      "n2 (departed, left)",
      "  greeter tcp: 4 accepted (0 active), 0.0 conn/s, in 12 B, out 300 B, 3 answered");
  }
}
