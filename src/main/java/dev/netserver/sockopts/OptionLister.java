package dev.netserver.sockopts;

import dev.netserver.sockopts.TransportListing.KindListing;
import dev.netserver.sockopts.TransportListing.OptionRow;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Part one: for each transport that loads here, real channels of each kind with no options set (a
 * listener bound to loopback, the accepted side of one connection to it, a bound datagram socket), and
 * the options Netty says each supports.
 */
final class OptionLister {

  private static final Comparator<OptionRow> ORDER = Comparator
    .comparingInt((OptionRow row) -> switch (row.doc().level()) {
      case "os" -> 0;
      case "unknown" -> 1;
      default -> 2;
    })
    .thenComparing(row -> row.doc().osName())
    .thenComparing(OptionRow::netty);

  private final Probes probes;
  private final Map<String, VertxMapping> mappings;

  /** @param mappings what Vert.x sets, by the name of each available transport */
  OptionLister(Probes probes, Map<String, VertxMapping> mappings) {
    this.probes = probes;
    this.mappings = mappings;
  }

  List<TransportListing> listAll() {
    List<TransportListing> listings = new ArrayList<>();
    for (TransportChoices.Known known : TransportChoices.all()) {
      listings.add(known.available()
        ? new TransportListing(known.name(), true, null, list(known))
        : new TransportListing(known.name(), false, known.unavailabilityCause(), List.of()));
    }
    return listings;
  }

  private List<KindListing> list(TransportChoices.Known known) {
    List<KindListing> kinds = new ArrayList<>();
    try {
      Probes.TcpPair pair = probes.tcpPair(known.transport(), new ServerBootstrap());
      kinds.add(kind(known.name(), SocketKind.TCP_LISTENER, pair.listener()));
      kinds.add(kind(known.name(), SocketKind.TCP_CONNECTION, pair.accepted()));
    } catch (Exception e) {
      kinds.add(failed(SocketKind.TCP_LISTENER, e));
      kinds.add(failed(SocketKind.TCP_CONNECTION, e));
    }
    try {
      kinds.add(kind(known.name(), SocketKind.UDP, probes.udp(known.transport(), channel -> { })));
    } catch (Exception e) {
      kinds.add(failed(SocketKind.UDP, e));
    }
    return kinds;
  }

  private KindListing kind(String transport, SocketKind kind, Channel channel) throws Exception {
    List<OptionRow> rows = new ArrayList<>();
    NettyOptions.snapshot(channel).forEach((name, observed) -> rows.add(row(transport, kind, name, observed)));
    rows.sort(ORDER);
    return new KindListing(kind, channel.getClass().getSimpleName(), rows, null);
  }

  private OptionRow row(String transport, SocketKind kind, String name, NettyOptions.Observed observed) {
    VertxMapping here = mappings.get(transport);
    String configKey = here.keys(kind, name).stream().map(ConfigKey::generic).collect(Collectors.joining(", "));
    return new OptionRow(name, NettyOptions.constantName(observed.option()), OptionCatalog.describe(name),
      observed.value(), configKey.isEmpty() ? null : configKey, configKey.isEmpty() ? ignoredKeys(transport, kind, name) : null,
      here.setByVertxAlone(kind).contains(name));
  }

  /**
   * The keys that set the option on another transport but have no effect at all on this one
   * ({@code tcp[].socket.reusePort} on NIO), or {@code null}.
   */
  private String ignoredKeys(String transport, SocketKind kind, String name) {
    VertxMapping here = mappings.get(transport);
    List<String> keys = new ArrayList<>();
    mappings.forEach((other, mapping) -> {
      for (ConfigKey key : mapping.keys(kind, name)) {
        if (!here.appliesAnywhere(key) && !keys.contains(key.generic())) {
          keys.add(key.generic());
        }
      }
    });
    return keys.isEmpty() ? null : String.join(", ", keys);
  }

  private static KindListing failed(SocketKind kind, Exception e) {
    return new KindListing(kind, null, List.of(), "could not make one: " + Probes.describe(e));
  }
}
