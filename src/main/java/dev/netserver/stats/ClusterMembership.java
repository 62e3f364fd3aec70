package dev.netserver.stats;

import io.vertx.core.Vertx;
import dev.netserver.vertx.VertxInsides;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.Set;

/**
 * The cluster as this process sees it, read from Vert.x's cluster manager: this process's cluster node
 * id and the ids of the current members.
 *
 * <p>Read on demand rather than through {@link ClusterManager#nodeListener}: a cluster manager has one node
 * listener, and Vert.x's own HA manager holds it.
 */
public final class ClusterMembership {

  private ClusterMembership() {
  }

  private static ClusterManager manager(Vertx vertx) {
    return VertxInsides.clusterManager(vertx);
  }

  /** This process's Vert.x cluster node id, or {@code null} when it is not clustered. */
  public static String localNodeId(Vertx vertx) {
    ClusterManager manager = manager(vertx);
    return manager == null ? null : manager.getNodeId();
  }

  /**
   * The cluster node ids of the current members (query clients included), or {@code null} when this
   * process is not clustered or has already left. A local read of Hazelcast's member list: it does not block.
   */
  public static Set<String> members(Vertx vertx) {
    ClusterManager manager = manager(vertx);
    if (manager == null || !manager.isActive()) {
      return null;
    }
    try {
      return Set.copyOf(manager.getNodes());
    } catch (RuntimeException leaving) {
      // Hazelcast throws once it is shutting down
      return null;
    }
  }
}
