package dev.netserver.stats;

import io.vertx.core.Vertx;

import java.util.Set;

/**
 * What the aggregator needs, besides the snapshots, to tell a live instance from a departed one: the time,
 * this process's cluster node id and the cluster's current members.
 *
 * @param now     epoch milliseconds on this process's clock
 * @param self    this process's Vert.x cluster node id, or {@code null} when not clustered
 * @param members the cluster node ids of the current members, or {@code null} when not clustered
 */
public record ClusterView(long now, String self, Set<String> members) {

  public ClusterView {
    members = members == null ? null : Set.copyOf(members);
  }

  /** What {@code vertx}'s cluster manager says now; not clustered (or no longer), a process on its own. */
  public static ClusterView of(Vertx vertx) {
    return new ClusterView(System.currentTimeMillis(), ClusterMembership.localNodeId(vertx), ClusterMembership.members(vertx));
  }

  /** A process on its own: every instance it hears of is its own. */
  public static ClusterView standalone(long now) {
    return new ClusterView(now, null, null);
  }

  public boolean clustered() {
    return members != null;
  }
}
