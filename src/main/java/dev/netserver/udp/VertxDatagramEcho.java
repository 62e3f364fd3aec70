package dev.netserver.udp;

import dev.netserver.config.UdpListenerConfig;
import dev.netserver.failure.FailureLog;
import dev.netserver.vertx.BatchedDatagrams;
import io.netty.util.NetUtil;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * The {@code vertx} engine's adapter of {@link EchoRules}: one Vert.x {@link DatagramSocket}, public API only.
 *
 * <p>{@code maxDatagramBytes} stays exact through {@code receiveBufferSize}, which Vert.x makes both
 * {@code SO_RCVBUF} and the size of every read buffer ({@link UdpListenerConfig#vertxReceiveBufferSize()}:
 * always more than the limit). The socket can take another reply while fewer than
 * {@link #PENDING_BYTES_LIMIT} bytes of replies are unsent, counted as Netty counts them against the direct
 * engine's channel's water mark (each with {@link #ENTRY_OVERHEAD}), so both engines drop for overload alike.
 *
 * <p>A send's future completes in the order of the sends (one socket, an IP literal, Netty's outbound buffer),
 * so one {@link #sent} listener serves them all, taking each reply's size from {@link #pendingSizes}: measured,
 * a listener made per send cost about 15% of this engine's CPU per 64-byte datagram.
 */
final class VertxDatagramEcho implements UdpEchoVerticle.EchoSocket {

  /** Netty's default write buffer high water mark: where the direct engine's channel stops being writable. */
  static final int PENDING_BYTES_LIMIT = 64 * 1024;
  /** What Netty's outbound buffer adds to each message's size against the water mark. */
  static final int ENTRY_OVERHEAD = 96;

  private final DatagramSocket socket;
  private final EchoRules rules;
  private final FailureLog failures;
  private final String where;
  /** Bytes of replies handed to the socket and not yet sent, each with its overhead; on the socket's event loop only. */
  private int pendingBytes;
  /**
   * The counted size of each reply not yet sent, oldest at {@link #oldest}: a ring that cannot overflow, as a
   * reply is sent only below the limit and counts at least the overhead.
   */
  private final int[] pendingSizes = new int[PENDING_BYTES_LIMIT / ENTRY_OVERHEAD + 1];
  private int oldest;
  private int pendingCount;
  /** Completes the oldest pending reply: every send's listener. */
  private final Completable<Void> sent = this::sent;
  /** The last sender's address, as text and parsed: a burst mostly comes from one host. Event loop only. */
  private String lastHost = "";
  private InetAddress lastAddress;

  private VertxDatagramEcho(DatagramSocket socket, EchoRules rules, FailureLog failures, String where) {
    this.socket = socket;
    this.rules = rules;
    this.failures = failures;
    this.where = where;
  }

  /**
   * Creates and binds a socket; {@code opened} gets it before the bind, so a failed start closes it. Called on
   * the verticle's event loop, whose context the socket then uses.
   */
  static Future<UdpEchoVerticle.EchoSocket> bind(Vertx vertx, UdpListenerConfig config, String address, int port,
                                                EchoRules rules, FailureLog failures, Consumer<UdpEchoVerticle.EchoSocket> opened) {
    DatagramSocketOptions options = config.socket().toDatagramSocketOptions(address.contains(":"))
      .setReceiveBufferSize(config.vertxReceiveBufferSize());
    DatagramSocket socket = BatchedDatagrams.batched(config.maxDatagramBytes() + 1, () -> vertx.createDatagramSocket(options));
    VertxDatagramEcho echo = new VertxDatagramEcho(socket, rules, failures, "socket " + address);
    opened.accept(echo);
    socket.handler(echo::received).exceptionHandler(echo::failed);
    return socket.listen(port, address).map(echo);
  }

  private void received(DatagramPacket packet) {
    Buffer data = packet.data();
    int size = data.length();
    SocketAddress sender = packet.sender();
    String host = sender.hostAddress();
    if (!host.equals(lastHost)) {
      lastAddress = inet(sender).getAddress();
      lastHost = host;
    }
    if (!rules.admit(size, new InetSocketAddress(lastAddress, sender.port()), pendingBytes < PENDING_BYTES_LIMIT)) {
      return;
    }
    int counted = size + ENTRY_OVERHEAD;
    pendingSizes[(oldest + pendingCount++) % pendingSizes.length] = counted;
    pendingBytes += counted;
    rules.echoed(size);
    socket.send(data, sender.port(), host).onComplete(sent);
  }

  private void sent(Void ignored, Throwable failure) {
    pendingBytes -= pendingSizes[oldest];
    oldest = (oldest + 1) % pendingSizes.length;
    pendingCount--;
    if (failure != null) {
      failed(failure);
    }
  }

  /** A datagram lost to a failure: a receive that failed, or a reply that could not be sent. */
  private void failed(Throwable cause) {
    rules.failed();
    failures.report(cause, where);
  }

  /** The sender as Java's address: Vert.x gives it as text (an IP literal, so no name lookup). */
  private static InetSocketAddress inet(SocketAddress sender) {
    try {
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(sender.hostAddress());
      return new InetSocketAddress(ip == null ? null : InetAddress.getByAddress(ip), sender.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // getByAddress fails only on a wrong length, which NetUtil never gives
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return inet(socket.localAddress());
  }

  @Override
  public Future<Void> close() {
    return socket.close().recover(e -> Future.succeededFuture());
  }
}
