package dev.netserver.vertx;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

/**
 * With {@link BatchedDatagrams}, the one place netserver reaches into Vert.x below its public API:
 * {@code io.vertx.core.internal} (a context's Netty event loop, a Vert.x instance's transport and cluster
 * manager) and the transport SPI ({@code io.vertx.core.spi.transport}: the Netty channels Vert.x makes and how
 * it sets their options). Neither is covered by Vert.x's compatibility promise; when a Vert.x release changes
 * them, this package is what changes.
 *
 * <p>An instance is one transport's channel factory and option mapping: the transport a running Vert.x
 * was built with ({@link #of(Vertx)}), or one of Vert.x's transports by itself ({@link #of(Transport)}),
 * as {@code sockopts} probes them without a Vert.x instance.
 */
public final class VertxInsides {

  /**
   * The name Vert.x 5.0.7's NetServer gives, in an accepted connection's pipeline, to the
   * {@code IdleStateHandler} that times the PROXY header out ({@code NetServerImpl.NetSocketInitializer}); the
   * header's own handlers follow it. Read in the 5.0.7 jar; not API.
   */
  public static final String PROXY_HEADER_TIMEOUT_HANDLER = "idle";

  private final io.vertx.core.spi.transport.Transport transport;

  private VertxInsides(io.vertx.core.spi.transport.Transport transport) {
    this.transport = transport;
  }

  /** The transport a Vert.x instance runs on. */
  public static VertxInsides of(Vertx vertx) {
    return new VertxInsides(((VertxInternal) vertx).transport());
  }

  /** One of Vert.x's transports ({@link Transport#NIO}, {@link Transport#EPOLL}, ...), which must be available. */
  public static VertxInsides of(Transport transport) {
    return new VertxInsides(transport.implementation());
  }

  /**
   * Which of Vert.x's transports a Vert.x instance runs on: Vert.x says it only by the class of its
   * internal transport object.
   */
  public static Transport transport(Vertx vertx) {
    io.vertx.core.spi.transport.Transport implementation = ((VertxInternal) vertx).transport();
    Transport wrapped = BatchedDatagrams.unwrap(implementation);
    if (wrapped != null) {
      return wrapped;
    }
    Class<?> running = implementation.getClass();
    for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE}) {
      if (t != null && t.implementation() != null && t.implementation().getClass() == running) {
        return t;
      }
    }
    return Transport.NIO;
  }

  /** The Netty event loop a Vert.x context (a verticle's) runs on. */
  public static EventLoop eventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /**
   * The listening socket a NetServer accepted a connection on (the accepted channel's parent): the only way
   * to reach a NetServer's listening channel, which Vert.x does not expose.
   */
  public static Channel listeningChannel(NetSocket socket) {
    return ((NetSocketInternal) socket).channelHandlerContext().channel().parent();
  }

  /**
   * Closes a connection at once, dropping what is queued for it. {@link NetSocket#close()}, and a close of its
   * channel, go through Vert.x's handler, which queues the close behind every write not yet sent: for a client
   * that stopped reading, that holds them all. A close from Vert.x's handler's own context starts below it.
   */
  public static void abort(NetSocket socket) {
    ((NetSocketInternal) socket).channelHandlerContext().close();
  }

  /** The cluster manager of a clustered Vert.x instance; {@code null} when it is not clustered. */
  public static ClusterManager clusterManager(Vertx vertx) {
    return vertx instanceof VertxInternal internal && vertx.isClustered() ? internal.clusterManager() : null;
  }

  /** Makes listening TCP sockets, as Vert.x's NetServer does. */
  public ChannelFactory<? extends ServerChannel> serverChannelFactory() {
    return transport.serverChannelFactory(false);
  }

  /** Makes client TCP sockets, as Vert.x's NetClient does. */
  public ChannelFactory<? extends Channel> channelFactory() {
    return transport.channelFactory(false);
  }

  /** An unregistered datagram channel, as Vert.x's DatagramSocket makes one. */
  @SuppressWarnings("deprecation") // Vert.x 5.0's transport SPI still takes Netty's InternetProtocolFamily
  public DatagramChannel datagramChannel(boolean ipv6) {
    return transport.datagramChannel(ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
  }

  /**
   * Puts a TCP server's socket options on a bootstrap exactly as Vert.x's NetServer does when it listens
   * (listening socket options and accepted sockets' child options).
   */
  public ServerBootstrap configure(NetServerOptions options, ServerBootstrap bootstrap) {
    transport.configure(options, false, bootstrap);
    return bootstrap;
  }

  /** Sets a datagram channel's socket options exactly as Vert.x's DatagramSocket does. */
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    transport.configure(channel, options);
  }

  /** An event loop group of this transport, with {@code threads} threads, outside any Vert.x instance. */
  public EventLoopGroup eventLoopGroup(int threads, ThreadFactory threadFactory) {
    return transport.eventLoopGroup(io.vertx.core.spi.transport.Transport.IO_EVENT_LOOP_GROUP, threads, threadFactory, 50);
  }

  /**
   * A PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) with its PEM certificate chain, parsed by the same
   * code Vert.x serves {@code PemKeyCertOptions} with ({@code KeyStoreHelper}, not public API), so what
   * netserver accepts Vert.x would too. Throws with the parser's reason when the key cannot be read.
   */
  public static java.security.KeyStore.PrivateKeyEntry pemKeyEntry(io.vertx.core.buffer.Buffer key, io.vertx.core.buffer.Buffer certs)
    throws Exception {
    java.security.KeyStore store = io.vertx.core.net.impl.KeyStoreHelper.loadKeyCert(java.util.List.of(key), java.util.List.of(certs));
    String alias = store.aliases().nextElement();
    return (java.security.KeyStore.PrivateKeyEntry) store.getEntry(alias,
      new java.security.KeyStore.PasswordProtection(io.vertx.core.net.impl.KeyStoreHelper.DUMMY_PASSWORD.toCharArray()));
  }
}
