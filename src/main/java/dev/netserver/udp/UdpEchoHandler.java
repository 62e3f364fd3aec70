package dev.netserver.udp;

import dev.netserver.failure.FailureLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;

/**
 * The direct engine's adapter of {@link EchoRules}: echoes each admitted datagram to its sender, byte for
 * byte, with the received buffer itself (no copy). The socket can take a reply while its channel is
 * writable. Replies of one read burst leave with one flush (the vertx engine's sockets do the same, through
 * {@code BatchedDatagrams}).
 */
final class UdpEchoHandler extends ChannelInboundHandlerAdapter {

  private final EchoRules rules;
  private final FailureLog failures;
  private boolean flushPending;

  UdpEchoHandler(EchoRules rules, FailureLog failures) {
    this.rules = rules;
    this.failures = failures;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf content = packet.content();
    int size = content.readableBytes();
    if (!rules.admit(size, packet.sender(), ctx.channel().isWritable())) {
      packet.release();
      return;
    }
    ctx.write(new DatagramPacket(content, packet.sender()), ctx.voidPromise());
    rules.echoed(size);
    flushPending = true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  /**
   * A failure on the socket. For UDP, {@code errors} counts datagrams lost to a failure, each once: one
   * whose handling threw (a throw ends its handling), one whose echo could not be sent (Netty fails each
   * datagram of a send separately), one that could not be received (a failed receive ends that read).
   * Each reaches this method exactly once, so each exception is one error. Reported like a TCP
   * connection's ({@link FailureLog}: I/O errors at DEBUG, anything else at WARN or ERROR).
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    rules.failed();
    failures.report(cause, ctx.channel().localAddress() instanceof InetSocketAddress local
      ? "socket " + NetUtil.toSocketAddressString(local) : "socket");
  }
}
