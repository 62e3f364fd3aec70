package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * An echo or stream slot: one connection that keeps {@code window} messages in flight (1 for echo's
 * ping-pong) and checks that every byte comes back as sent. Replies are written while reading and
 * flushed once per read burst. A wrong byte, a close or a message older than {@code --timeout} is one
 * error; the slot then drops the connection and opens another.
 */
final class EchoClient extends Client {

  private final Payload payload;
  private final EchoCheck check;
  private final long timeoutNanos;

  EchoClient(ClientLoop loop) {
    super(loop);
    this.payload = loop.payload();
    this.check = new EchoCheck(payload, loop.options().window());
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(loop.options().timeoutMillis());
  }

  @Override
  protected void onConnecting() {
    check.reset();
  }

  @Override
  protected void onActive(ChannelHandlerContext ctx) {
    fill(ctx, System.nanoTime());
  }

  private void fill(ChannelHandlerContext ctx, long now) {
    while (check.canSend()) {
      long seq = check.sent(now);
      write(ctx, payload.id(ctx.alloc(), seq));
      if (payload.patternLength() > 0) {
        write(ctx, payload.pattern());
      }
    }
  }

  @Override
  protected void onRead(ChannelHandlerContext ctx, ByteBuf in) {
    long now = System.nanoTime();
    if (check.feed(in, now, stats) < 0) {
      fail(ErrorKind.WRONG_REPLY, check.problem());
    } else if (!stopping) {
      fill(ctx, now);
    }
  }

  @Override
  protected void onClosed() {
    fail(ErrorKind.CLOSED, "the server closed the connection with " + check.inFlight() + " messages in flight");
  }

  @Override
  protected void onException(Throwable cause) {
    fail(ErrorKind.IO, describe(cause));
  }

  @Override
  protected void onTick(long now) {
    if (check.inFlight() > 0 && now - check.oldestSentAt() > timeoutNanos) {
      timedOut();
    }
  }

  @Override
  protected boolean idle() {
    return check.inFlight() == 0;
  }

  @Override
  protected void timedOut() {
    fail(ErrorKind.TIMEOUT, "no reply within " + loop.options().timeoutMillis() + " ms, " + check.inFlight()
      + " messages in flight");
  }
}
