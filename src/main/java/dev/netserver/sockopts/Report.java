package dev.netserver.sockopts;

import java.util.List;

/**
 * Everything {@code sockopts} found, before it is printed as text or JSON.
 *
 * @param transports          part one, one entry per known transport
 * @param configSource        the configuration file, or a description of the built-in defaults
 * @param configuredTransport the configuration's {@code transport} ({@code auto}, {@code epoll}, ...)
 * @param transport           the transport part two's sockets were made on
 * @param transportNote       why that is not the one configured, or {@code null}
 * @param listeners           part two, one entry per socket of each configured listener
 */
record Report(List<TransportListing> transports, String configSource, String configuredTransport,
                     String transport, String transportNote, List<SocketCheck> listeners) {

  /** The fixed reminder that the textbook's SO_BINDTODEVICE has no Java counterpart. */
  public static final String BINDTODEVICE_NOTE = "SO_BINDTODEVICE is not available in Java/Netty; netserver's"
    + " \"interface\" key binds to that card's addresses instead.";

  public Report {
    transports = List.copyOf(transports);
    listeners = List.copyOf(listeners);
  }

  /** Whether every socket could be made and read. */
  public boolean complete() {
    return transports.stream().flatMap(t -> t.kinds().stream()).allMatch(k -> k.error() == null)
      && listeners.stream().allMatch(l -> l.error() == null);
  }
}
