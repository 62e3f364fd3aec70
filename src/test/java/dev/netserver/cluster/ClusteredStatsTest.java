package dev.netserver.cluster;

import dev.netserver.MainVerticle;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.ConfigException;
import dev.netserver.stats.ClusterMembership;
import dev.netserver.stats.StatsAddresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.netserver.Await.await;
import static dev.netserver.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two netserver nodes in one JVM, each a clustered Vert.x with the shipped loopback Hazelcast configuration
 * (a cluster name and ports of its own per test), exchanging their stats over the clustered event bus.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("Clustered nodes")
class ClusteredStatsTest {

  private TestCluster cluster;
  private Vertx a;
  private Vertx b;
  private MainVerticle mainA;
  private MainVerticle mainB;

  @BeforeEach
  void twoNodes() {
    cluster = new TestCluster();
    a = cluster.join();
    mainA = deploy(a, "node-a");
    b = cluster.join();
    mainB = deploy(b, "node-b");
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  static JsonObject config(String node) {
    return new JsonObject()
      .put("node", new JsonObject().put("name", node))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 0).put("instances", 1))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0).put("instances", 1)))
      .put("udp", new JsonArray())
      .put("stats", new JsonObject().put("publishIntervalMs", 50).put("logIntervalSeconds", 0))
      .put("shutdown", new JsonObject().put("graceSeconds", 0));
  }

  private static MainVerticle deploy(Vertx vertx, String node) {
    MainVerticle main = new MainVerticle();
    await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config(node))));
    return main;
  }

  private static int port(MainVerticle main, String listener) {
    String address = main.boundAddresses().get(listener).get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static void greet(MainVerticle main, int times) {
    for (int i = 0; i < times; i++) {
      try (TestClient c = TestClient.connect(port(main, "greeter"))) {
        c.readUntil(": ");
        assertThat(c.send("hi\n").readToEnd()).isEqualTo("You entered 2 characters.\n");
      }
    }
  }

  private static JsonObject query(Vertx from, String address) {
    return await(from.eventBus().<JsonObject>request(address, null)).body();
  }

  /** Queries again after every snapshot {@code from} sees, until the reply satisfies {@code condition}. */
  private static JsonObject queryUntil(Vertx from, String address, Predicate<JsonObject> condition) {
    try (StatsProbe probe = new StatsProbe(from)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JsonObject reply = query(from, address);
      while (!condition.test(reply)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the stats never matched; the last reply was " + reply.encodePrettily());
        }
        probe.await("greeter", s -> true);
        reply = query(from, address);
      }
      return reply;
    }
  }

  private static long total(JsonObject reply, String listener, String counter) {
    JsonObject l = reply.getJsonObject("listeners").getJsonObject(listener);
    return l == null ? -1 : l.getJsonObject("counters").getLong(counter, -1L);
  }

  private static JsonObject node(JsonObject reply, String node) {
    return reply.getJsonObject("nodes").getJsonObject(node, new JsonObject());
  }

  private static long ofNode(JsonObject reply, String node, String listener, String counter) {
    JsonObject l = node(reply, node).getJsonObject("listeners", new JsonObject()).getJsonObject(listener);
    return l == null ? -1 : l.getJsonObject("counters").getLong(counter, -1L);
  }

  @Test
  @DisplayName("a query at either node answers with every node's counts, per node, per listener and as cluster totals")
  void crossNodeAggregation() {
    greet(mainA, 2);
    greet(mainB, 3);
    JsonObject atA = queryUntil(a, StatsAddresses.QUERY, r -> total(r, "greeter", "linesAnswered") == 5
      && total(r, "greeter", "connectionsActive") == 0);
    assertThat(ofNode(atA, "node-a", "greeter", "linesAnswered")).isEqualTo(2);
    assertThat(ofNode(atA, "node-b", "greeter", "linesAnswered")).isEqualTo(3);
    assertThat(total(atA, "greeter", "connectionsAccepted")).isEqualTo(5);
    assertThat(total(atA, "echo", "connectionsAccepted")).isZero();
    assertThat(atA.getJsonObject("cluster")).isEqualTo(new JsonObject()
      .put("clustered", true).put("liveNodes", 2).put("departedNodes", 0).put("members", 2));
    assertThat(node(atA, "node-b").getString("state")).isEqualTo("live");
    assertThat(node(atA, "node-b").getString("clusterNodeId")).isEqualTo(ClusterMembership.localNodeId(b));

    JsonObject atB = queryUntil(b, StatsAddresses.QUERY, r -> total(r, "greeter", "linesAnswered") == 5);
    assertThat(atB.getJsonObject("listeners").getJsonObject("greeter").getJsonObject("counters"))
      .isEqualTo(atA.getJsonObject("listeners").getJsonObject("greeter").getJsonObject("counters"));
    assertThat(query(a, StatsAddresses.nodeQuery("node-b")).getString("node")).isEqualTo("node-b");
  }

  @Test
  @DisplayName("a node that stops is departed everywhere with its counts kept, and when it comes back its new counts add once")
  void restartWithoutDoubleCounting() {
    greet(mainA, 1);
    greet(mainB, 3);
    queryUntil(a, StatsAddresses.QUERY, r -> total(r, "greeter", "linesAnswered") == 4);

    await(b.close());
    JsonObject departed = queryUntil(a, StatsAddresses.QUERY, r -> "departed".equals(node(r, "node-b").getString("state")));
    assertThat(node(departed, "node-b").getString("reason")).isEqualTo("stopped");
    assertThat(total(departed, "greeter", "linesAnswered")).isEqualTo(4);
    assertThat(departed.getJsonObject("listeners").getJsonObject("greeter").getJsonObject("departed").getLong("linesAnswered"))
      .isEqualTo(3);
    assertThat(departed.getJsonObject("cluster").getInteger("liveNodes")).isEqualTo(1);

    Vertx again = cluster.join();
    MainVerticle mainAgain = deploy(again, "node-b");
    greet(mainAgain, 2);
    JsonObject back = queryUntil(a, StatsAddresses.QUERY, r -> total(r, "greeter", "linesAnswered") == 6
      && "live".equals(node(r, "node-b").getString("state")));
    assertThat(ofNode(back, "node-b", "greeter", "linesAnswered")).isEqualTo(5);
    assertThat(node(back, "node-b").getString("clusterNodeId")).isEqualTo(ClusterMembership.localNodeId(again));
    // later snapshots of the new process replace its earlier ones: still 6
    try (StatsProbe probe = new StatsProbe(a)) {
      probe.await("greeter", s -> s.node().equals("node-b"));
      probe.await("greeter", s -> s.node().equals("node-b"));
    }
    assertThat(total(query(a, StatsAddresses.QUERY), "greeter", "linesAnswered")).isEqualTo(6);
    // the new process was not there when the old one stopped, and still counts it
    assertThat(total(query(again, StatsAddresses.nodeQuery("node-b")), "greeter", "linesAnswered")).isEqualTo(6);
  }

  @Test
  @DisplayName("a node whose cluster member vanishes without a word is departed, its open connections no longer counted")
  void vanishedNode() {
    greet(mainB, 1);
    try (TestClient open = TestClient.connect(port(mainB, "greeter"))) {
      open.readUntil(": ");
      queryUntil(a, StatsAddresses.QUERY, r -> total(r, "greeter", "connectionsActive") == 1);

      TestCluster.manager(b).getHazelcastInstance().getLifecycleService().terminate(); // as a crash looks to the others
      JsonObject gone = queryUntil(a, StatsAddresses.QUERY, r -> "departed".equals(node(r, "node-b").getString("state")));
      assertThat(node(gone, "node-b").getString("reason")).isEqualTo("left");
      assertThat(total(gone, "greeter", "connectionsActive")).isZero();
      assertThat(total(gone, "greeter", "linesAnswered")).isEqualTo(1);
      assertThat(total(gone, "greeter", "connectionsAccepted")).isEqualTo(2);
      assertThat(gone.getJsonObject("cluster").getInteger("members")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("refuses to start a node whose name a live node of the cluster already has")
  void duplicateNameRefused() {
    Vertx c = cluster.join();
    Throwable failure = awaitFailure(c.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config("node-a"))));
    assertThat(failure).isInstanceOf(ConfigException.class)
      .hasMessage("config: node.name \"node-a\" is already used by a live node of the cluster (cluster node id "
        + ClusterMembership.localNodeId(a) + "); give every node its own name");
    assertThat(c.deploymentIDs()).isEmpty();
  }
}
