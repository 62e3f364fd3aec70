package dev.netserver.stats;

import java.util.List;

/**
 * One node (process name) as the aggregator sees it.
 *
 * @param name               the node's configured name
 * @param liveness           {@link Liveness#LIVE} when any of its instances is live; otherwise why the
 *                           instance heard from last is not
 * @param clusterNodeId      the cluster node id of the instance heard from last, or {@code null} when not clustered
 * @param liveClusterNodeIds the cluster node ids of the processes live under this name; two or more means two
 *                           processes share the name
 * @param lastSeen           when the last snapshot from this node arrived, epoch milliseconds on the local clock
 */
public record NodeState(String name, Liveness liveness, String clusterNodeId, List<String> liveClusterNodeIds,
                        long lastSeen) {

  public NodeState {
    liveClusterNodeIds = List.copyOf(liveClusterNodeIds);
  }

  public boolean live() {
    return liveness.live();
  }
}
