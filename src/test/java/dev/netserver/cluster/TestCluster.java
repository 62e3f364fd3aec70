package dev.netserver.cluster;

import com.hazelcast.config.Config;
import dev.netserver.Await;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clustered Vert.x instances in this JVM that form one cluster of their own: the shipped loopback
 * configuration (conf/cluster.xml) with a cluster name and port range unique to this object, and no wait
 * before joining. Closes what it started.
 */
final class TestCluster implements AutoCloseable {

  private final String name = "netserver-test-" + UUID.randomUUID();
  private final int basePort = 20_000 + 20 * ThreadLocalRandom.current().nextInt(1000);
  private final List<Vertx> started = new ArrayList<>();

  String name() {
    return name;
  }

  /** The Hazelcast configuration of a member of this cluster. */
  Config hazelcastConfig() {
    Config config = ClusterSetup.load(new ClusterSetup.Source("conf/cluster.xml", Path.of("conf/cluster.xml")));
    config.setClusterName(name);
    config.getNetworkConfig().setPort(basePort);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.tcp.join.port.try.count", "6");
    return config;
  }

  /** A new clustered Vert.x, once it has joined. */
  Vertx join() {
    Vertx vertx = Await.await(Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcastConfig())).buildClustered());
    started.add(vertx);
    return vertx;
  }

  /** The Hazelcast member behind a clustered Vert.x. */
  static HazelcastClusterManager manager(Vertx vertx) {
    return (HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
  }

  @Override
  public void close() {
    for (Vertx vertx : started) {
      try {
        Await.await(vertx.close());
      } catch (AssertionError ignored) {
        // closing the others anyway
      }
    }
  }
}
