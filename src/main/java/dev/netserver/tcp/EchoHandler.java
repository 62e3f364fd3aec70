package dev.netserver.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * RFC 862 echo, zero-copy: each buffer read is written back as it is, and everything one wake-up read
 * leaves in one flush. Backpressure: when the client does not read and the bytes waiting for it pass
 * Netty's high water mark (64 KiB), reading from it stops until they drop below the low water mark, so a
 * connection never holds more than about that plus one read.
 */
final class EchoHandler extends TcpConnection {

  private boolean ending;

  EchoHandler(TcpServerVerticle owner, TcpStats stats, String listener) {
    super(owner, stats, listener);
  }

  @Override
  protected void onOpen() {
  }

  @Override
  protected void onData(ByteBuf data) {
    if (ending) {
      data.release();
      return;
    }
    write(data);
    if (!ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(false);
      flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && !ending) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  protected void onEndOfInput() {
    // The client has said all it will say: send back what is still queued, then close.
    end();
  }

  @Override
  protected void onServerShutdown() {
    end();
  }

  private void end() {
    if (!ending) {
      ending = true;
      writeAndClose(Unpooled.EMPTY_BUFFER);
    }
  }
}
