package dev.netserver.udp;

import dev.netserver.failure.FailureLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Echoes each datagram to its sender, byte for byte, with the received buffer itself (no copy).
 * Oversize datagrams, refused senders and datagrams arriving while the socket's send queue is full are
 * dropped and counted by reason. Replies of one read burst leave with one flush.
 */
final class UdpEchoHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(UdpEchoHandler.class);

  private final String listener;
  private final int maxDatagramBytes;
  private final SourcePolicy policy;
  private final UdpStats stats;
  private final FailureLog failures;
  private boolean flushPending;

  UdpEchoHandler(String listener, int maxDatagramBytes, SourcePolicy policy, UdpStats stats, FailureLog failures) {
    this.listener = listener;
    this.maxDatagramBytes = maxDatagramBytes;
    this.policy = policy;
    this.stats = stats;
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
    stats.datagramsIn++;
    stats.bytesIn += size;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: got {} bytes from {}", listener, size, packet.sender());
    }
    if (size > maxDatagramBytes) {
      // the receive buffer holds limit + 1 bytes, so anything larger arrives cut to exactly that
      stats.droppedOversize++;
      packet.release();
      return;
    }
    switch (policy.judge(packet.sender())) {
      case BLOCKED_PORT -> {
        stats.droppedBlockedSource++;
        packet.release();
        return;
      }
      case INVALID_ADDRESS -> {
        stats.droppedInvalidSource++;
        packet.release();
        return;
      }
      case ACCEPT -> {
      }
    }
    if (!ctx.channel().isWritable()) {
      stats.droppedOverload++;
      packet.release();
      return;
    }
    ctx.write(new DatagramPacket(content, packet.sender()), ctx.voidPromise());
    stats.datagramsEchoed++;
    stats.bytesOut += size;
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
    stats.errors++;
    failures.report(cause, ctx.channel().localAddress() instanceof InetSocketAddress local
      ? "socket " + NetUtil.toSocketAddressString(local) : "socket");
  }
}
