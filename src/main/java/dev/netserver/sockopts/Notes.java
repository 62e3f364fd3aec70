package dev.netserver.sockopts;

import dev.netserver.config.TcpListenerConfig;

import java.util.Objects;

/** What to say when an option reads back differently from what was asked, in the kernel's terms. */
final class Notes {

  private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

  private Notes() {
  }

  static String ignored(String transport, boolean appliedElsewhere) {
    return "ignored on " + transport + (appliedElsewhere ? " (Vert.x applies it on the native transports only)" : "");
  }

  /**
   * @param asked     what Vert.x gives Netty, {@code null} when it leaves the option alone
   * @param hasValue  whether the channel knows the option
   * @param transport the transport the socket is made on
   */
  static String of(String netty, OptionDoc doc, Object asked, Object reported, boolean hasValue, String transport) {
    if (!hasValue) {
      return "this channel has no such option: the transport cannot set it";
    }
    if (netty.equals("SO_BACKLOG")) {
      String note = "Netty's copy of the listen() argument; the kernel does not report it";
      return asked instanceof Integer n && n > TcpListenerConfig.KERNEL_BACKLOG_LIMIT
        ? note + "; it caps the queue at net.core.somaxconn = " + TcpListenerConfig.KERNEL_BACKLOG_LIMIT
        : note + "; net.core.somaxconn (" + TcpListenerConfig.KERNEL_BACKLOG_LIMIT + ") does not cap it";
    }
    if (asked == null) {
      return OptionDoc.NETTY.equals(doc.osLevel()) ? "not set: Netty's default" : "not set: the system's default";
    }
    if (netty.equals("TCP_FASTOPEN")) {
      return "Netty's copy; the kernel also needs net.ipv4.tcp_fastopen to allow server TFO";
    }
    if (LINUX && asked instanceof Integer a && reported instanceof Integer r
      && (netty.equals("SO_RCVBUF") || netty.equals("SO_SNDBUF"))) {
      return bufferSize(netty, a, r, transport.equals("nio"));
    }
    if (Objects.equals(NettyOptions.render(asked), NettyOptions.render(reported))) {
      return OptionDoc.NETTY.equals(doc.osLevel()) ? "Netty setting, not a socket option" : "";
    }
    return "differs from what was asked";
  }

  /**
   * Linux keeps twice the buffer size asked (the rest is for its bookkeeping), within a minimum and
   * {@code net.core.rmem_max}/{@code wmem_max}, and reports what it keeps. The JDK (so NIO) halves
   * that report back; the native transports pass it on.
   */
  static String bufferSize(String netty, int asked, int reported, boolean jdkHalves) {
    String limit = netty.equals("SO_RCVBUF") ? "net.core.rmem_max" : "net.core.wmem_max";
    long kept = jdkHalves ? 2L * reported : reported;
    long twice = 2L * asked;
    String why = kept == twice ? "doubled by Linux (room for its bookkeeping)"
      : kept < twice ? "capped by " + limit + " (" + kept / 2 + "), then doubled"
      : "raised to the kernel's minimum, then doubled";
    return jdkHalves ? why + ": Linux keeps " + kept + ", the JDK reports half" : why;
  }
}
