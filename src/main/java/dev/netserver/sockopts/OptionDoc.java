package dev.netserver.sockopts;

/**
 * What a Netty channel option is, in the words of the operating system's manual: one row of the
 * textbook's table.
 *
 * @param osName  the socket option's name in C ({@code SO_RCVBUF}), or what stands in for one
 *                ({@code listen() backlog}); for a Netty setting, Netty's name
 * @param osLevel the {@code setsockopt} level ({@code SOL_SOCKET}, {@code IPPROTO_TCP}, ...), or
 *                {@link #NETTY} for a setting that lives in Netty only, or {@link #UNKNOWN}
 * @param value   the expected value: type, unit, range
 * @param meaning one line
 */
record OptionDoc(String osName, String osLevel, String value, String meaning) {

  /** The level of a setting that Netty keeps to itself: no system call ever sees it. */
  public static final String NETTY = "netty";
  /** The level of an option the catalog has no entry for. */
  public static final String UNKNOWN = "?";
  /** The meaning of an option the catalog has no entry for. */
  public static final String NO_DESCRIPTION = "(no description)";

  /** {@code os}, {@code netty} or {@code unknown}: whether the operating system sees this option. */
  public String level() {
    return switch (osLevel) {
      case NETTY -> "netty";
      case UNKNOWN -> "unknown";
      default -> "os";
    };
  }

  static OptionDoc unknown(String nettyName) {
    return new OptionDoc(nettyName, UNKNOWN, "?", NO_DESCRIPTION);
  }
}
