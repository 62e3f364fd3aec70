package dev.netserver.sockopts;

import java.util.List;

/**
 * Part one of the report: the options one transport's channels support, per socket kind.
 *
 * @param unavailabilityCause why the transport can't load here, or {@code null}
 * @param kinds               empty when the transport is unavailable
 */
record TransportListing(String name, boolean available, String unavailabilityCause, List<KindListing> kinds) {

  public TransportListing {
    kinds = List.copyOf(kinds);
  }

  /**
   * @param channel Netty's channel class ({@code EpollServerSocketChannel})
   * @param error   why the options could not be read, or {@code null}
   */
  record KindListing(SocketKind kind, String channel, List<OptionRow> options, String error) {

    public KindListing {
      options = List.copyOf(options);
    }
  }

  /**
   * One option as Netty lists it for one kind of socket.
   *
   * @param netty         Netty's name ({@code SO_RCVBUF}, {@code TCP_KEEPIDLE})
   * @param nettyConstant how Java code names it ({@code EpollChannelOption.TCP_KEEPIDLE})
   * @param doc           OS name, level, expected value and meaning
   * @param current       the value on a fresh socket of this kind, as Netty reports it
   * @param configKey     the netserver keys that set it on this transport ({@code tcp[].socket.tcpNoDelay}),
   *                      separated by commas, or {@code null}
   * @param ignoredKeys   keys that set it on another transport but are ignored on this one, or {@code null}
   * @param setByVertx    whether netserver or Vert.x sets it by itself, whatever the configuration says
   */
  record OptionRow(String netty, String nettyConstant, OptionDoc doc, Object current, String configKey,
                          String ignoredKeys, boolean setByVertx) {

    /** One sentence on why there is no key, or {@code null}. */
    public String configNote() {
      if (ignoredKeys != null) {
        return ignoredKeys + (ignoredKeys.contains(",") ? " are" : " is") + " ignored on this transport";
      }
      return setByVertx ? "netserver or Vert.x sets it by itself, whatever the configuration says" : null;
    }
  }
}
