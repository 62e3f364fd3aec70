package dev.netserver.tcp;

import dev.netserver.config.Cidr;
import dev.netserver.config.ProxyProtocolConfig;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The PROXY protocol's trust rule, on the vertx engine: a header is believed only from a trusted source.
 *
 * <p>Vert.x 5.0.7's NetServer ({@code useProxyProtocol}) decodes the header with Netty's
 * {@code HAProxyMessageDecoder} before it hands the socket over, then reports the header's address as
 * {@link NetSocket#remoteAddress()} and the real peer as {@code remoteAddress(true)}. It has no list of trusted
 * senders (eclipse-vertx/vert.x #3700) and no public hook before the header. So {@link #admit} runs first
 * in the connect handler, on the real peer: a connection from any other source is closed before anything
 * (greeting, access lists, per-source limits, logs) has used the address its header claims.
 *
 * <p>Vert.x closes a connection whose header is malformed or declares a datagram transport, and reports it to
 * the server's exception handler ({@link #failed}); one that sends no whole header in time it closes silently,
 * seen by {@link ProxyHeaderWatch} ({@link #timedOut}).
 */
final class ProxyGate {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyGate.class);

  private final List<Cidr> trusted;
  private final TcpStats stats;
  private final String listener;

  ProxyGate(ProxyProtocolConfig config, TcpStats stats, String listener) {
    this.trusted = config.trustedSources();
    this.stats = stats;
    this.listener = listener;
  }

  /** The gate of a listener, or null when its connections carry no header. */
  static ProxyGate of(ProxyProtocolConfig config, TcpStats stats, String listener) {
    return config.enabled() ? new ProxyGate(config, stats, listener) : null;
  }

  /**
   * Whether the connection came from a trusted source, judged by the real peer address; if not, closes it and
   * counts it ({@code proxyUntrusted}). On the socket's context, before anything else sees the socket.
   */
  boolean admit(NetSocket socket) {
    SocketAddress peer = socket.remoteAddress(true);
    InetAddress ip = peer == null ? null : ip(peer);
    if (ip != null && Cidr.anyContains(trusted, ip)) {
      return true;
    }
    stats.proxyUntrusted++;
    LOG.debug("{}: closed a connection from {}, not in proxyProtocol.trustedSources", listener, peer);
    AccessLog.refused(listener, peer == null ? null : NetSocketAdapter.javaAddress(peer), AccessLog.PROXY_UNTRUSTED, 0);
    socket.close();
    return false;
  }

  /**
   * Counts a connection Vert.x closed because no whole header came within {@code timeoutSeconds}: as
   * {@code proxyUntrusted} when its real peer is outside {@code trustedSources} (it was never going to be
   * served), else as {@code proxyInvalid}. On the listener instance's context.
   */
  void timedOut(java.net.InetSocketAddress peer) {
    if (Cidr.anyContains(trusted, peer.getAddress())) {
      stats.proxyInvalid++;
      LOG.debug("{}: closed a connection from {} that sent no whole PROXY header in time", listener, peer);
    } else {
      stats.proxyUntrusted++;
      LOG.debug("{}: closed a connection from {}, not in proxyProtocol.trustedSources, that sent no PROXY header in time",
        listener, peer);
    }
  }

  /**
   * Counts a connection Vert.x closed for its header ({@code proxyInvalid}): malformed, or declaring a
   * datagram transport. Whether {@code cause} was that; on the listener instance's context.
   */
  boolean failed(Throwable cause) {
    if (!isHeaderFailure(cause)) {
      return false;
    }
    stats.proxyInvalid++;
    // Vert.x reports the failure without its socket: the line has no client
    AccessLog.refused(listener, null, AccessLog.PROXY_INVALID, 0);
    // a client's mistake, not the server's: one line, no stack trace
    LOG.debug("{}: closed a connection with an invalid PROXY header: {}", listener, cause.getMessage());
    return true;
  }

  /**
   * A failure of the PROXY header as Vert.x reports it: thrown by Netty's PROXY codec (its
   * {@link HAProxyProtocolException}, or a buffer overrun in its parsing of a TLV, either wrapped in a
   * {@code DecoderException}), or Vert.x's own {@code IOException("Unsupported HA PROXY transport protocol")}
   * for a datagram transport. Judged by where it was thrown: the codec's frames come before the pipeline's
   * (a TLS failure after a good header has the codec's frames too, but only below the pipeline's).
   */
  static boolean isHeaderFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HAProxyProtocolException
        || t instanceof IOException && String.valueOf(t.getMessage()).contains("HA PROXY")) {
        return true;
      }
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("io.netty.handler.codec.haproxy.")) {
          return true;
        }
        if (frame.getClassName().startsWith("io.netty.channel.")) {
          break;
        }
      }
    }
    return false;
  }

  private static InetAddress ip(SocketAddress address) {
    String host = address.hostAddress();
    byte[] bytes = host == null ? null : io.netty.util.NetUtil.createByteArrayFromIpAddressString(host);
    try {
      return bytes == null ? null : InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
