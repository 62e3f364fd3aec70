package dev.netserver.sockopts;

import java.util.List;

/**
 * Part two of the report: one socket of one configured listener, made the way the server makes it (through
 * the same configure call), and what each configured option reads back as.
 *
 * @param listener   the listener's name
 * @param section    {@code tcp} or {@code udp}
 * @param index      the listener's position in its section
 * @param configured where the real listener binds ({@code 0.0.0.0:51423}); the probe binds loopback port 0
 * @param socket     {@code listener}, {@code accepted} or {@code udp}
 * @param error      why the socket could not be made, or {@code null}
 */
record SocketCheck(String listener, String section, int index, String configured, String transport,
                          String socket, List<Row> rows, String error) {

  public SocketCheck {
    rows = List.copyOf(rows);
  }

  /**
   * @param key      {@code tcp[0].socket.receiveBufferSize}, or {@code null} for an option Vert.x sets by itself
   * @param config   the key's value in the configuration (defaults filled in), or {@code null}
   * @param netty    Netty's option name, or {@code null} when the transport ignores the key
   * @param doc      the option's OS name and level, or {@code null} with {@code netty}
   * @param asked    the value Vert.x gives Netty, or {@code null} when it leaves the option alone
   * @param reported the value the channel reports back (for an OS option, the kernel's, by getsockopt)
   * @param hasValue whether the channel has the option at all (else {@code reported} means nothing)
   * @param effective what the kernel applies, where it differs from what it reports (the listen() backlog,
   *                  capped at net.core.somaxconn), else {@code reported}; {@code null} without a value
   * @param note     what to make of a difference, or an empty string
   */
  record Row(String key, Object config, String netty, OptionDoc doc, Object asked, Object reported,
                    boolean hasValue, Object effective, String note) {
  }
}
