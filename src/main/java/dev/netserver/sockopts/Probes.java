package dev.netserver.sockopts;

import dev.netserver.vertx.VertxInsides;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.transport.Transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Real sockets on loopback, made by one transport's own channel classes, each step bounded in time.
 * Keeps every channel and event loop group it creates and closes them all in {@link #close}.
 */
final class Probes implements AutoCloseable {

  static final String LOOPBACK = "127.0.0.1";
  /** The longest any one step (bind, connect, accept, read options, close) may take. */
  static final int STEP_SECONDS = 5;

  private final Map<String, EventLoopGroup> groups = new LinkedHashMap<>();
  private final List<Channel> channels = new ArrayList<>();

  /** A listening socket and the server side of one connection to it. */
  record TcpPair(Channel listener, Channel accepted) {
  }

  /**
   * Binds {@code bootstrap} (with whatever options it already carries) to {@value #LOOPBACK} port 0 on
   * the transport's server channel, connects to it once and waits for the accepted socket, whose child
   * options are in place by then.
   */
  TcpPair tcpPair(Transport transport, ServerBootstrap bootstrap) throws Exception {
    VertxInsides insides = VertxInsides.of(transport);
    EventLoopGroup group = group(transport);
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    bootstrap.group(group)
      .channelFactory(insides.serverChannelFactory())
      .childHandler(new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
          track(channel);
          accepted.complete(channel);
        }
      });
    Channel listener = track(await(bootstrap.bind(LOOPBACK, 0)));
    track(await(new Bootstrap()
      .group(group)
      .channelFactory(insides.channelFactory())
      .handler(new ChannelInboundHandlerAdapter())
      .connect(listener.localAddress())));
    try {
      return new TcpPair(listener, accepted.get(STEP_SECONDS, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      throw new IllegalStateException("no connection accepted within " + STEP_SECONDS + " s");
    }
  }

  /** A failure in a few words for the report: the message, or the exception's name when it has none. */
  static String describe(Throwable failure) {
    Throwable t = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  /** A datagram channel of the transport, given to {@code configure} first, then registered and bound to loopback. */
  DatagramChannel udp(Transport transport, Consumer<DatagramChannel> configure) throws Exception {
    DatagramChannel channel = VertxInsides.of(transport).datagramChannel(false);
    try {
      configure.accept(channel);
    } catch (RuntimeException e) {
      channel.unsafe().closeForcibly();
      throw e;
    }
    track(channel);
    await(group(transport).register(channel));
    await(channel.bind(new InetSocketAddress(LOOPBACK, 0)));
    return channel;
  }

  private EventLoopGroup group(Transport transport) {
    return groups.computeIfAbsent(transport.name(),
      name -> VertxInsides.of(transport).eventLoopGroup(1, new DefaultThreadFactory("sockopts-" + name, true)));
  }

  private synchronized Channel track(Channel channel) {
    channels.add(channel);
    return channel;
  }

  private static Channel await(ChannelFuture future) throws Exception {
    if (!future.await(STEP_SECONDS, TimeUnit.SECONDS)) {
      future.channel().close();
      throw new IllegalStateException("no answer from the " + future.channel().getClass().getSimpleName()
        + " within " + STEP_SECONDS + " s");
    }
    if (!future.isSuccess()) {
      throw new IllegalStateException(future.cause().toString(), future.cause());
    }
    return future.channel();
  }

  @Override
  public void close() {
    List<Channel> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(channels);
      channels.clear();
    }
    for (Channel channel : toClose) {
      if (channel.isRegistered()) {
        channel.close().awaitUninterruptibly(STEP_SECONDS, TimeUnit.SECONDS);
      } else {
        channel.unsafe().closeForcibly();
      }
    }
    for (EventLoopGroup group : groups.values()) {
      group.shutdownGracefully(0, STEP_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(STEP_SECONDS + 1, TimeUnit.SECONDS);
    }
    groups.clear();
  }
}
