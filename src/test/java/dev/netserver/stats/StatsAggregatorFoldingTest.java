package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.netserver.stats.Counter.BYTES_IN;
import static dev.netserver.stats.Counter.CONNECTIONS_ACCEPTED;
import static dev.netserver.stats.Counter.CONNECTIONS_ACTIVE;
import static dev.netserver.stats.Counter.DATAGRAMS_IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The stats aggregator's memory")
class StatsAggregatorFoldingTest {

  private final StatsAggregator aggregator = new StatsAggregator();

  private static StatsSnapshot snapshot(String node, String process, String instance, long t, boolean last,
                                        long accepted, long active) {
    return new StatsSnapshot(node, "greeter", ListenerKind.TCP, "greeting", instance, t, last,
      Counters.ZERO.with(CONNECTIONS_ACCEPTED, accepted).with(CONNECTIONS_ACTIVE, active), process, 1000);
  }

  private static ClusterView view(long now, String self, String... members) {
    return new ClusterView(now, self, Set.of(members));
  }

  private ListenerTotals greeter(StatsAggregator aggregator, ClusterView view) {
    return aggregator.byListener(view).get("greeter");
  }

  @Test
  @DisplayName("stays flat through 200 restarts of a node that stops each time, and keeps every run's counts")
  void restartsThatStop() {
    List<Integer> sizes = new ArrayList<>();
    long t = 0;
    for (int run = 0; run < 200; run++) {
      String process = "B" + run;
      aggregator.record(snapshot("n2", process, "i" + run, t, false, 3, 1), t);
      aggregator.record(snapshot("n2", process, "i" + run, t + 1000, true, 5, 0), t + 1000);
      t += 10_000;
      aggregator.fold(view(t, "A", "A"));
      sizes.add(aggregator.size());
    }
    assertFlat(sizes);
    ClusterView view = view(t, "A", "A");
    ListenerTotals totals = greeter(aggregator, view);
    assertThat(totals.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(200 * 5);
    assertThat(totals.departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(200 * 5);
    assertThat(totals.liveInstances()).isZero();
    NodeState n2 = aggregator.nodes(view).get("n2");
    assertThat(n2.liveness()).isEqualTo(Liveness.STOPPED);
    assertThat(n2.clusterNodeId()).isEqualTo("B199");
    assertThat(n2.lastSeen()).isEqualTo(t - 9000);

    // and the next run counts live on top of them
    aggregator.record(snapshot("n2", "B200", "i200", t, false, 2, 1), t);
    totals = greeter(aggregator, view(t, "A", "A", "B200"));
    assertThat(totals.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(200 * 5 + 2);
    assertThat(totals.counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(1);
    assertThat(totals.liveInstances()).isEqualTo(1);
  }

  @Test
  @DisplayName("stays flat through 200 restarts of a node whose process leaves the cluster each time, and keeps every run's counts")
  void restartsThatLeave() {
    List<Integer> sizes = new ArrayList<>();
    long t = 0;
    for (int run = 0; run < 200; run++) {
      String process = "B" + run;
      aggregator.record(snapshot("n2", process, "i" + run, t, false, 3, 1), t);
      aggregator.record(snapshot("n2", process, "i" + run, t + 1000, false, 5, 1), t + 1000);
      t += 10_000; // killed: it sends no last snapshot and is no member any more
      aggregator.fold(view(t, "A", "A"));
      sizes.add(aggregator.size());
    }
    assertFlat(sizes);
    ClusterView view = view(t, "A", "A");
    ListenerTotals totals = greeter(aggregator, view);
    assertThat(totals.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(200 * 5);
    assertThat(totals.departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(200 * 5);
    assertThat(totals.counters().get(Counter.CONNECTIONS_ACTIVE)).isZero();
    assertThat(aggregator.nodes(view).get("n2").liveness()).isEqualTo(Liveness.LEFT);

    // a reporter that starts now learns all of it, and holds no more than this one
    StatsAggregator later = new StatsAggregator();
    later.importFrom(aggregator.export(t), t);
    assertThat(later.toJson("n1", view)).isEqualTo(aggregator.toJson("n1", view));
    assertThat(later.size()).isLessThanOrEqualTo(aggregator.size());
  }

  /** After a warm-up of a few runs (the ids of folded instances are remembered a minute), the size no longer grows. */
  private static void assertFlat(List<Integer> sizes) {
    List<Integer> steady = sizes.subList(20, sizes.size());
    assertThat(steady).allMatch(size -> size.equals(steady.get(0)));
    assertThat(steady.get(0)).isLessThan(20);
  }

  @Test
  @DisplayName("keeps a silent instance of a member however long it is silent, and folds it a minute after its process left")
  void silentIsKept() {
    aggregator.record(snapshot("n2", "B", "x", 1000, false, 4, 1), 1000);
    aggregator.fold(view(1_000_000, "A", "A", "B"));
    assertThat(aggregator.nodes(view(1_000_000, "A", "A", "B")).get("n2").liveness()).isEqualTo(Liveness.SILENT);
    aggregator.record(snapshot("n2", "B", "x", 1_000_500, false, 6, 1), 1_000_500);
    assertThat(greeter(aggregator, view(1_000_600, "A", "A", "B")).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(6);
    assertThat(aggregator.nodes(view(1_000_600, "A", "A", "B")).get("n2").liveness()).isEqualTo(Liveness.LIVE);

    int held = aggregator.size();
    aggregator.fold(view(1_000_500 + StatsAggregator.FORGET_AFTER_MS, "A", "A"));
    assertThat(aggregator.size()).isEqualTo(held); // left, but not yet silent for more than a minute
    aggregator.fold(view(1_000_501 + StatsAggregator.FORGET_AFTER_MS, "A", "A"));
    ClusterView gone = view(1_000_600 + StatsAggregator.FORGET_AFTER_MS, "A", "A");
    assertThat(greeter(aggregator, gone).departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(6);
    assertThat(aggregator.nodes(gone).get("n2").liveness()).isEqualTo(Liveness.LEFT);
  }

  @Test
  @DisplayName("does not fold a process missing from the member list while it still publishes (a list that lags behind a join)")
  void laggingMemberList() {
    aggregator.record(snapshot("n2", "B", "x", 1000, false, 4, 1), 1000);
    aggregator.fold(view(1500, "A", "A"));
    aggregator.record(snapshot("n2", "B", "x", 2000, false, 9, 1), 2000);
    ClusterView joined = view(2100, "A", "A", "B");
    assertThat(greeter(aggregator, joined).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(9);
    assertThat(aggregator.nodes(joined).get("n2").liveness()).isEqualTo(Liveness.LIVE);
  }

  @Test
  @DisplayName("ignores a late copy of a folded instance's snapshot, and forgets the instance's id a minute after folding it")
  void lateCopy() {
    aggregator.record(snapshot("n2", "B", "x", 1000, false, 4, 1), 1000);
    aggregator.record(snapshot("n2", "B", "x", 2000, true, 6, 0), 2000);
    aggregator.fold(view(3000, "A", "A"));
    int withId = aggregator.size();
    aggregator.record(snapshot("n2", "B", "x", 1000, false, 4, 1), 4000); // e.g. through another reporter's export
    assertThat(greeter(aggregator, view(4000, "A", "A")).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(6);
    assertThat(aggregator.size()).isEqualTo(withId);

    aggregator.fold(view(4001 + StatsAggregator.FORGET_AFTER_MS, "A", "A"));
    assertThat(aggregator.size()).isEqualTo(withId - 1);
    assertThat(greeter(aggregator, view(4001 + StatsAggregator.FORGET_AFTER_MS, "A", "A")).counters().get(Counter.CONNECTIONS_ACCEPTED))
      .isEqualTo(6);
  }

  @Test
  @DisplayName("keeps this process's folded instances for its final summary, not another process's of the same name")
  void ownProcess() {
    aggregator.record(snapshot("n1", "A0", "old", 500, true, 100, 0), 500); // an earlier process of this name
    aggregator.record(snapshot("n1", "A", "a", 1000, true, 5, 0), 1000);
    aggregator.record(snapshot("n1", "A", "b", 1000, false, 2, 1), 1000);
    aggregator.fold(view(2000, "A", "A"));
    ListenerTotals own = aggregator.ofProcess("n1", "A").get("greeter");
    assertThat(own.counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(7);
    assertThat(own.counters().get(Counter.CONNECTIONS_ACTIVE)).isEqualTo(1);
    assertThat(aggregator.allStopped("n1", "A")).isFalse();

    StatsAggregator standalone = new StatsAggregator();
    standalone.record(snapshot("n1", null, "a", 1000, true, 5, 0), 1000);
    standalone.fold(ClusterView.standalone(2000));
    assertThat(standalone.ofProcess("n1", null).get("greeter").counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(5);
    assertThat(standalone.allStopped("n1", null)).isTrue();
  }

  @Test
  @DisplayName("a reporter that starts later counts once an instance it heard itself and the other one has folded")
  void importAfterTheExporterFolded() {
    aggregator.record(snapshot("n2", "B", "x", 1000, false, 5, 1), 1000);
    aggregator.record(snapshot("n2", "B", "x", 2000, true, 7, 0), 2000);
    aggregator.fold(view(2500, "A", "A"));

    StatsAggregator later = new StatsAggregator();
    later.record(snapshot("n2", "B", "x", 1000, false, 5, 1), 1000); // heard x before its reporter asked
    later.importFrom(aggregator.export(2600), 2600);
    later.record(snapshot("n2", "B", "x", 2000, true, 7, 0), 2700); // and x's last after
    ClusterView view = view(2800, "C", "A", "C");
    assertThat(greeter(later, view).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(7);
    assertThat(greeter(later, view).departed().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(7);
    assertThat(later.nodes(view).get("n2").liveness()).isEqualTo(Liveness.STOPPED);

    later.fold(view);
    assertThatThrownBy(() -> later.importFrom(aggregator.export(2900), 2900)).isInstanceOf(IllegalStateException.class);
    assertThat(greeter(later, view).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(7);
  }

  @Test
  @DisplayName("skips a malformed departed entry and keeps the well-formed ones")
  void malformedDeparted() {
    aggregator.record(snapshot("n2", "B", "x", 2000, true, 7, 0), 2000);
    aggregator.fold(view(2500, "A", "A"));
    JsonObject exported = aggregator.export(2600);
    exported.getJsonArray("departed").add(new JsonObject().put("node", "n3").put("reason", "gone").put("listeners", new JsonObject()));
    StatsAggregator later = new StatsAggregator();
    assertThat(later.importFrom(exported, 2600)).isEqualTo(2); // the departed n2 and the forgotten x
    assertThat(later.nodes(view(2600, "C", "C"))).containsOnlyKeys("n2");
    assertThat(greeter(later, view(2600, "C", "C")).counters().get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(7);
  }

  /**
   * Random runs of a small cluster: this process and three other nodes, whose processes publish, fall silent,
   * come back, stop, are killed and restart, on two listeners. One aggregator folds after every step, one never
   * does: every query reply, and this process's totals, must be the same. So are those of reporters that
   * start at the end and import from each.
   */
  @Test
  @DisplayName("folding changes nothing a query or a summary shows, through random starts, stops, kills, silences and restarts")
  void foldingIsInvisible() {
    Random seeds = new Random(8);
    for (int run = 0; run < 12; run++) {
      long seed = seeds.nextLong();
      new Simulation(new Random(seed)).run(seed);
    }
  }

  private static final class Simulation {
    private final Random random;
    private final StatsAggregator plain = new StatsAggregator();
    private final StatsAggregator folding = new StatsAggregator();
    /** Running processes by cluster node id. */
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Set<String> nodesDown = new HashSet<>(Set.of("n2", "n3", "n4"));
    private long now = 1000;
    private int ids;

    private final class Process {
      final String node;
      final String id;
      final List<String> instances = new ArrayList<>();
      final List<String> listeners = new ArrayList<>();
      boolean silent;
      long counts;

      Process(String node, String id) {
        this.node = node;
        this.id = id;
        for (String listener : List.of("greeter", "udp-echo")) {
          for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            instances.add("i" + ids++);
            listeners.add(listener);
          }
        }
      }

      void publish(boolean last) {
        for (int i = 0; i < instances.size(); i++) {
          publish(i, last);
        }
      }

      void publish(int i, boolean last) {
        counts += random.nextInt(3);
        boolean udp = listeners.get(i).equals("udp-echo");
        Counters c = udp ? Counters.ZERO.with(DATAGRAMS_IN, counts).with(BYTES_IN, 3 * counts)
          : Counters.ZERO.with(CONNECTIONS_ACCEPTED, counts).with(CONNECTIONS_ACTIVE, last ? 0 : counts % 3)
          .with(BYTES_IN, 5 * counts);
        StatsSnapshot s = new StatsSnapshot(node, listeners.get(i), udp ? ListenerKind.UDP : ListenerKind.TCP,
          "echo", instances.get(i), now, last, c, id, 500);
        plain.record(s, now);
        folding.record(s, now);
      }
    }

    Simulation(Random random) {
      this.random = random;
      running.put("A", new Process("n1", "A"));
    }

    void run(long seed) {
      for (int step = 0; step < 200; step++) {
        now += random.nextInt(10) == 0 ? 20_000 + random.nextInt(60_000) : 50 + random.nextInt(3000);
        step();
        ClusterView view = new ClusterView(now, "A", running.keySet());
        folding.fold(view);
        assertThat(folding.toJson("n1", view)).as("seed %d, step %d", seed, step).isEqualTo(plain.toJson("n1", view));
        assertThat(json(folding.ofProcess("n1", "A"))).as("seed %d, step %d", seed, step)
          .isEqualTo(json(plain.ofProcess("n1", "A")));
      }
      Set<String> members = new HashSet<>(running.keySet());
      members.add("C");
      ClusterView atC = new ClusterView(now + 100, "C", members);
      StatsAggregator fromPlain = new StatsAggregator();
      fromPlain.importFrom(plain.export(now), now + 100);
      StatsAggregator fromFolding = new StatsAggregator();
      fromFolding.importFrom(folding.export(now), now + 100);
      assertThat(fromFolding.toJson("n5", atC)).as("seed %d, imported", seed).isEqualTo(fromPlain.toJson("n5", atC));
      assertThat(folding.size()).as("seed %d", seed).isLessThan(plain.size());
    }

    private void step() {
      // a node restarts a step after its process went at the earliest: a new process's first snapshot never
      // arrives at the very moment of the old one's last
      for (String node : List.copyOf(nodesDown)) {
        if (random.nextInt(6) == 0) {
          nodesDown.remove(node);
          Process p = new Process(node, node + "-" + ids++);
          running.put(p.id, p);
          p.publish(false);
        }
      }
      Process self = running.get("A");
      if (random.nextInt(8) == 0) { // one of this process's instances restarts
        int i = random.nextInt(self.instances.size());
        self.publish(i, true);
        self.instances.set(i, "i" + ids++);
      }
      for (Process p : List.copyOf(running.values())) {
        if (p == self) {
          if (random.nextBoolean()) {
            self.publish(false);
          }
          continue;
        }
        switch (random.nextInt(20)) {
          case 0 -> { // stops: its last snapshots, then it leaves the cluster
            p.publish(true);
            leave(p);
          }
          case 1 -> leave(p); // killed
          case 2 -> p.silent = !p.silent;
          default -> {
            if (!p.silent && random.nextInt(4) != 0) {
              p.publish(false);
            }
          }
        }
      }
    }

    private void leave(Process p) {
      running.remove(p.id);
      nodesDown.add(p.node);
    }

    private static JsonObject json(Map<String, ListenerTotals> totals) {
      JsonObject json = new JsonObject();
      totals.forEach((name, t) -> json.put(name, t.toJson()));
      return json;
    }
  }
}
