package dev.netserver.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private boolean flushPending;

  UdpEchoHandler(String listener, int maxDatagramBytes, SourcePolicy policy, UdpStats stats) {
    this.listener = listener;
    this.maxDatagramBytes = maxDatagramBytes;
    this.policy = policy;
    this.stats = stats;
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

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.errors++;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: {}", listener, cause.toString());
    }
  }
}
