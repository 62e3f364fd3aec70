package dev.netserver.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import java.net.SocketAddress;

/**
 * The direct engine's adapter: a connection's Netty handler, on the event loop of the listener instance
 * that owns the connection. The bytes the client sends arrive as the pooled buffers Netty read them into
 * and are answered without a copy or a String on the way (see {@link TcpServerVerticle}). A half-close is
 * Netty's {@link ChannelInputShutdownEvent} ({@code ALLOW_HALF_CLOSURE} is set on every connection).
 */
final class ChannelAdapter extends ChannelInboundHandlerAdapter implements Wire<ByteBuf> {

  private final TcpConnection<ByteBuf> connection;
  private ChannelHandlerContext ctx;

  ChannelAdapter(TcpConnection<ByteBuf> connection) {
    this.connection = connection;
  }

  // --- Netty's events, to the connection

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connection.opened(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.read((ByteBuf) msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    connection.readComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      connection.writable();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      connection.inputShutdown();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.closed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(cause);
  }

  // --- the wire, to Netty

  @Override
  public int length(ByteBuf data) {
    return data.readableBytes();
  }

  @Override
  public int indexOf(ByteBuf data, byte value) {
    int from = data.readerIndex();
    int at = data.indexOf(from, data.writerIndex(), value);
    return at < 0 ? -1 : at - from;
  }

  @Override
  public void copy(ByteBuf data, byte[] to, int at, int length) {
    data.getBytes(data.readerIndex(), to, at, length);
  }

  @Override
  public void release(ByteBuf data) {
    data.release();
  }

  @Override
  public ByteBuf buffer(int capacity) {
    return ctx.alloc().buffer(capacity);
  }

  @Override
  public void append(ByteBuf out, byte[] bytes) {
    out.writeBytes(bytes);
  }

  @Override
  public void appendAscii(ByteBuf out, String ascii) {
    ByteBufUtil.writeAscii(out, ascii);
  }

  @Override
  public void write(ByteBuf data) {
    ctx.write(data, ctx.voidPromise());
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public void writeAndClose(ByteBuf data) {
    ctx.writeAndFlush(data).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void closeAfterWrites() {
    writeAndClose(Unpooled.EMPTY_BUFFER);
  }

  @Override
  public void close() {
    ctx.close();
  }

  @Override
  public boolean isOpen() {
    return ctx.channel().isOpen();
  }

  @Override
  public boolean writeQueueFull() {
    return !ctx.channel().isWritable();
  }

  @Override
  public void pauseReading() {
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void resumeReading() {
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  Channel channel() {
    return ctx.channel();
  }
}
