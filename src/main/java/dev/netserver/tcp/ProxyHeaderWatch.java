package dev.netserver.tcp;

import dev.netserver.vertx.VertxInsides;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * vertx engine, PROXY protocol: sees the connections that send no whole header within
 * {@code proxyProtocol.timeoutSeconds}, which Vert.x 5.0.7 closes without a word: its
 * {@code HAProxyMessageCompletionHandler} answers the timeout ({@code IdleStateEvent} {@code ALL_IDLE} from the
 * {@code IdleStateHandler} it puts before it) with a close and neither fails the connection (no exception
 * handler call) nor hands it over (no connect handler call). No public hook sees that connection at all.
 *
 * <p>So this handler sits in the listening socket's pipeline (as {@link AcceptGuard} does, and put there with
 * it) and, for each accepted connection, puts a watch right behind Vert.x's timeout handler once Vert.x has
 * set the connection's pipeline up: the watch sees the timeout event on its way to Vert.x's handler, and
 * leaves as soon as a header has been decoded. A connection whose header failed (counted by the exception
 * handler, {@link ProxyGate#failed}) is not counted again if it then times out.
 *
 * <p>One per listener, shared by its listening sockets; thread-safe.
 */
@ChannelHandler.Sharable
final class ProxyHeaderWatch extends ChannelInboundHandlerAdapter {

  /** The handler's name in a listening channel's pipeline. */
  static final String NAME = "netserver-proxy-header-watch";

  private final Consumer<InetSocketAddress> timedOut;

  /**
   * @param timedOut called with the connection's real peer when it sent no whole header in time, on the
   *                 connection's event loop
   */
  ProxyHeaderWatch(Consumer<InetSocketAddress> timedOut) {
    this.timedOut = timedOut;
  }

  /** An accepted connection passing to Netty's acceptor: watch it once its pipeline is set up. */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      accepted.pipeline().addFirst(new Placer());
    }
    ctx.fireChannelRead(msg);
  }

  /** First in a new connection's pipeline: once registered (Vert.x's initializer has run), puts the watch. */
  private final class Placer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
      String timeoutHandler = VertxInsides.PROXY_HEADER_TIMEOUT_HANDLER;
      if (ctx.pipeline().context(timeoutHandler) != null) {
        ctx.pipeline().addAfter(timeoutHandler, null, new Watch());
      }
      ctx.pipeline().remove(this);
      ctx.fireChannelRegistered();
    }
  }

  /** Behind Vert.x's header timeout on one connection, until the header is decoded. */
  private final class Watch extends ChannelInboundHandlerAdapter {
    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HAProxyMessage) {
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed = true;
      ctx.fireExceptionCaught(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (!failed && evt instanceof IdleStateEvent idle && idle.state() == IdleState.ALL_IDLE
        && ctx.channel().remoteAddress() instanceof InetSocketAddress peer) {
        failed = true;
        timedOut.accept(peer);
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
