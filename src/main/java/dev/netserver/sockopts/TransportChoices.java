package dev.netserver.sockopts;

import dev.netserver.config.TransportChoice;
import io.vertx.core.transport.Transport;

import java.util.ArrayList;
import java.util.List;

/** The Vert.x transports this command knows, and which one a {@code transport} setting runs on here. */
final class TransportChoices {

  private TransportChoices() {
  }

  /**
   * A transport by name; {@code transport} is {@code null} when its Netty classes are not on the class
   * path at all (Vert.x then has no {@link Transport} constant for it).
   */
  record Known(String name, Transport transport) {

    boolean available() {
      return transport != null && transport.available();
    }

    String unavailabilityCause() {
      if (transport == null) {
        return "its Netty classes are not on the class path";
      }
      Throwable cause = transport.unavailabilityCause();
      return cause == null ? "unknown cause" : cause.toString();
    }
  }

  /** The transport that runs and, when it is not the one asked for, why. */
  record Resolved(Transport transport, String note) {
  }

  /** NIO, epoll and io_uring, in that order (kqueue is macOS's, and this is a Linux server). */
  static List<Known> all() {
    List<Known> known = new ArrayList<>();
    known.add(new Known(TransportChoice.NIO.configName(), Transport.NIO));
    known.add(new Known(TransportChoice.EPOLL.configName(), Transport.EPOLL));
    known.add(new Known(TransportChoice.IO_URING.configName(), Transport.IO_URING));
    return known;
  }

  /**
   * The transport netserver would run on for a choice: {@code auto} takes the native transport when it
   * loads, else NIO; an explicit native transport that can't load falls back to NIO here (the server
   * itself refuses to start then), and the note says so.
   */
  static Resolved resolve(TransportChoice choice) {
    Transport runs = choice.vertxTransport();
    if (runs != Transport.NIO && runs.available() || choice == TransportChoice.NIO) {
      return new Resolved(runs, null);
    }
    if (choice == TransportChoice.AUTO) {
      Transport preferred = Transport.nativeTransport();
      String why = preferred == null ? "no native transport for this system"
        : new Known(preferred.name(), preferred).unavailabilityCause();
      return new Resolved(Transport.NIO, "no native transport can load here (" + why + ")");
    }
    Known wanted = new Known(choice.configName(), runs == Transport.NIO ? null : runs);
    return new Resolved(Transport.NIO, "transport \"" + choice.configName() + "\" is not available here ("
      + wanted.unavailabilityCause() + "), so these sockets are NIO's; the server itself would not start");
  }

}
