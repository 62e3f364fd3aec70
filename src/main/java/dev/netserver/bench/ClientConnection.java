package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * The Netty handler of one client connection or UDP socket. It only forwards events to its owner, the
 * slot, tagged with itself: the slot compares the tag with its current connection and ignores what a
 * connection it has already given up on still reports. Received buffers are released here.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

  private final Client owner;
  private ChannelHandlerContext ctx;

  ClientConnection(Client owner) {
    this.owner = owner;
  }

  /** Set once the channel is registered, which is before any event below. */
  ChannelHandlerContext ctx() {
    return ctx;
  }

  void close() {
    if (ctx != null) {
      ctx.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    owner.active(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
    try {
      owner.read(this, in);
    } finally {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    owner.readComplete(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.inactive(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    owner.failed(this, cause);
  }
}
