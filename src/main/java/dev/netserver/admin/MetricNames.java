package dev.netserver.admin;

import dev.netserver.stats.Counter;

import java.util.List;
import java.util.Locale;

/**
 * The Micrometer name (and {@code reason} tag) of each {@link Counter}, derived from its wire name so that a
 * counter declared there is exported without a line here. {@code connectionsAccepted} becomes
 * {@code netserver.connections.accepted} (Prometheus: {@code netserver_connections_accepted_total}); the
 * refusals and drops by reason become one metric each with a {@code reason} label
 * ({@code refusedPerSource}: {@code netserver_connections_refused_total{reason="perSource"}},
 * {@code droppedOversize}: {@code netserver_datagrams_dropped_total{reason="oversize"}}), so that
 * {@code sum by (listener)} gives every refusal without knowing the reasons.
 */
final class MetricNames {

  /** A counter's metric; {@code reason} is {@code null} for a counter that is a metric of its own. */
  record Name(String metric, String reason) {
  }

  private record Group(String prefix, String metric) {
  }

  private static final List<Group> GROUPS = List.of(
    new Group("refused", "netserver.connections.refused"),
    new Group("dropped", "netserver.datagrams.dropped"));

  static Name of(Counter counter) {
    String json = counter.jsonName();
    for (Group group : GROUPS) {
      int at = group.prefix.length();
      if (json.startsWith(group.prefix) && json.length() > at && Character.isUpperCase(json.charAt(at))) {
        return new Name(group.metric, Character.toLowerCase(json.charAt(at)) + json.substring(at + 1));
      }
    }
    return new Name("netserver." + json.replaceAll("([A-Z])", ".$1").toLowerCase(Locale.ROOT), null);
  }

  private MetricNames() {
  }
}
