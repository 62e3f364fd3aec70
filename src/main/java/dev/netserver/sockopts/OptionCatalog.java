package dev.netserver.sockopts;

import java.util.HashMap;
import java.util.Map;

/**
 * The textbook's table, by Netty option name: OS name, level, expected value and meaning. This is
 * documentation, written by hand; which options exist is never taken from here but from the channels
 * themselves ({@link NettyOptions#snapshot}), and an option missing here is still listed, with
 * {@value OptionDoc#NO_DESCRIPTION}.
 *
 * <p>Keys are Netty's short names. NIO's options taken from the JDK ({@code NioChannelOption}) use the
 * JDK's spelling ({@code TCP_KEEPINTERVAL}), the native transports Linux's ({@code TCP_KEEPINTVL}).
 */
final class OptionCatalog {

  private static final String SOCKET = "SOL_SOCKET";
  private static final String IP = "IPPROTO_IP";
  private static final String TCP = "IPPROTO_TCP";
  private static final String UDP = "SOL_UDP";
  private static final String BOOL = "boolean";

  private static final Map<String, OptionDoc> DOCS = new HashMap<>();

  static {
    os("SO_REUSEADDR", SOCKET, BOOL, "bind() may reuse a local address (TCP: despite TIME_WAIT)");
    os("SO_REUSEPORT", SOCKET, BOOL, "sockets may share one address and port; the kernel balances them");
    os("SO_RCVBUF", SOCKET, "int, bytes", "kernel receive buffer; Linux keeps double, the JDK reports half");
    os("SO_SNDBUF", SOCKET, "int, bytes", "kernel send buffer; Linux keeps double, the JDK reports half");
    os("SO_KEEPALIVE", SOCKET, BOOL, "probe an idle connection to find a dead peer");
    os("SO_LINGER", SOCKET, "int, seconds; -1 = off", "close() waits this long for unsent data (0: reset)");
    os("SO_BROADCAST", SOCKET, BOOL, "may send datagrams to a broadcast address");
    os("SO_OOBINLINE", SOCKET, BOOL, "urgent (out-of-band) data is read in line");
    os("SO_INCOMING_NAPI_ID", SOCKET, "int, read only", "the device queue (NAPI id) the last packet came from");
    os("SO_BUSY_POLL", SOCKET, "int, microseconds", "busy-poll the device queue this long on a read");
    DOCS.put("SO_BACKLOG", new OptionDoc("listen() backlog", "listen()", "int, connections",
      "completed connections waiting for accept(); max net.core.somaxconn"));

    os("TCP_NODELAY", TCP, BOOL, "send small segments at once (turns off Nagle's algorithm)");
    os("TCP_KEEPIDLE", TCP, "int, seconds", "idle time before the first keepalive probe");
    os("TCP_KEEPINTVL", TCP, "int, seconds", "time between keepalive probes");
    os("TCP_KEEPCNT", TCP, "int, probes", "unanswered keepalive probes before the connection is dropped");
    alias("TCP_KEEPINTERVAL", "TCP_KEEPINTVL");
    alias("TCP_KEEPCOUNT", "TCP_KEEPCNT");
    os("TCP_QUICKACK", TCP, BOOL, "acknowledge at once instead of delaying ACKs (not sticky)");
    os("TCP_CORK", TCP, BOOL, "hold back partial segments until uncorked (or 200 ms)");
    os("TCP_NOTSENT_LOWAT", TCP, "int, bytes", "writable only while less unsent data than this is queued");
    os("TCP_MD5SIG", TCP, "map of peer address to key", "RFC 2385 MD5 signature on every segment (BGP)");
    os("TCP_FASTOPEN", TCP, "int, queue; 0 = off", "take data in the SYN (TCP Fast Open); bounds pending requests");
    os("TCP_FASTOPEN_CONNECT", TCP, BOOL, "send data in the SYN (TCP Fast Open), client side");
    os("TCP_DEFER_ACCEPT", TCP, "int, seconds", "accept() returns a connection only once data has arrived");
    os("TCP_USER_TIMEOUT", TCP, "int, milliseconds", "drop the connection when sent data stays unacknowledged this long");

    os("IP_TOS", IP, "int 0..255", "DSCP << 2 | ECN of outgoing packets (IPV6_TCLASS on IPv6)");
    os("IP_TRANSPARENT", IP, BOOL, "bind and accept for non-local addresses (transparent proxy)");
    os("IP_FREEBIND", IP, BOOL, "bind to an address this host does not have (yet)");
    os("IP_BIND_ADDRESS_NO_PORT", IP, BOOL, "bind() to port 0 picks the port only at connect()");
    os("IP_RECVORIGDSTADDR", IP, BOOL, "receive each datagram's original destination (TPROXY)");
    os("IP_MULTICAST_IF", IP, "network interface", "interface that sends outgoing multicast");
    DOCS.put("IP_MULTICAST_ADDR", new OptionDoc("IP_MULTICAST_IF", IP, "IP address", "interface that sends outgoing multicast, by its address"));
    os("IP_MULTICAST_TTL", IP, "int 0..255", "time to live of outgoing multicast datagrams");
    os("IP_MULTICAST_LOOP", IP, BOOL, "outgoing multicast is looped back to this host's sockets");
    DOCS.put("IP_MULTICAST_LOOP_DISABLED", new OptionDoc("IP_MULTICAST_LOOP", IP, "boolean, inverted",
      "outgoing multicast is not looped back to this host's sockets"));
    os("IP_MULTICAST_ALL", IP, BOOL, "receive every group joined on the host, not only this socket's");
    os("UDP_GRO", UDP, BOOL, "receive several datagrams coalesced into one read (generic receive offload)");

    netty("ALLOCATOR", "ByteBufAllocator", "allocates Netty's buffers");
    netty("RECVBUF_ALLOCATOR", "RecvByteBufAllocator", "sizes each read buffer (fixed or adaptive)");
    netty("MESSAGE_SIZE_ESTIMATOR", "MessageSizeEstimator", "sizes outbound messages for the write water marks");
    netty("CONNECT_TIMEOUT_MILLIS", "int, milliseconds", "an outgoing connect() gives up after this long");
    netty("MAX_MESSAGES_PER_READ", "int", "reads (or accepts, or datagrams) per readiness event");
    netty("MAX_MESSAGES_PER_WRITE", "int", "messages written per flush");
    netty("WRITE_SPIN_COUNT", "int", "write attempts per flush before other channels get a turn");
    netty("WRITE_BUFFER_HIGH_WATER_MARK", "int, bytes", "the channel turns unwritable above this much queued output");
    netty("WRITE_BUFFER_LOW_WATER_MARK", "int, bytes", "the channel turns writable again below this much");
    netty("WRITE_BUFFER_WATER_MARK", "low and high, bytes", "both water marks of queued output (back-pressure)");
    netty("ALLOW_HALF_CLOSURE", BOOL, "a received FIN closes the input only, not the channel");
    netty("AUTO_READ", BOOL, "read whenever data is ready (false: only when asked; back-pressure)");
    netty("AUTO_CLOSE", BOOL, "close the channel when a write fails");
    netty("SINGLE_EVENTEXECUTOR_PER_GROUP", BOOL, "handlers added with one executor group share one executor");
    netty("DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION", BOOL, "an unbound datagram channel counts as active once registered");
    netty("EPOLL_MODE", "EDGE or LEVEL_TRIGGERED", "how epoll reports readiness");
    netty("MAX_DATAGRAM_PAYLOAD_SIZE", "int, bytes; 0 = off", "splits coalesced (GRO) reads into datagrams of this size");
    netty("IO_URING_BUFFER_GROUP_ID", "int; -1 = none", "the ring of provided buffers reads use");
    netty("IO_URING_WRITE_ZERO_COPY_THRESHOLD", "int, bytes; -1 = never", "writes this large use zero-copy send");
  }

  private OptionCatalog() {
  }

  /** The entry for a Netty option name; an unknown name gets one that says so. */
  static OptionDoc describe(String nettyName) {
    OptionDoc doc = DOCS.get(nettyName);
    return doc != null ? doc : OptionDoc.unknown(nettyName);
  }

  private static void os(String name, String level, String value, String meaning) {
    DOCS.put(name, new OptionDoc(name, level, value, meaning));
  }

  private static void netty(String name, String value, String meaning) {
    DOCS.put(name, new OptionDoc(name, OptionDoc.NETTY, value, meaning));
  }

  /** The JDK names a Linux option differently: same OS option, Java's spelling. */
  private static void alias(String javaName, String linuxName) {
    OptionDoc linux = DOCS.get(linuxName);
    DOCS.put(javaName, linux);
  }
}
