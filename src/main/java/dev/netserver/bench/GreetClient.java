package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A greet slot: connect, read the welcome line and the prompt, send the line, read the answer, see the
 * server close; then the next connection. The latency of an exchange runs from the connect call to the
 * close. A connection that fails in any way is one error, and the slot goes on with a new one. The server
 * speaks first, so the slot sends nothing when its connection comes up.
 */
final class GreetClient extends Client {

  private final ByteBuf line;
  private final byte[] answer;
  private final long timeoutNanos;
  private GreetingCheck check;
  private long startedAt;

  /**
   * @param line   {@link #line(int)}, shared read-only by every slot
   * @param answer {@link GreetingCheck#answerFor(int)}, shared too
   */
  GreetClient(ClientLoop loop, ByteBuf line, byte[] answer) {
    super(loop);
    this.line = line;
    this.answer = answer;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(loop.options().timeoutMillis());
  }

  /** {@code size} times 'x' and a newline, in a buffer that writes may share. */
  static ByteBuf line(int size) {
    byte[] bytes = new byte[size + 1];
    Arrays.fill(bytes, (byte) 'x');
    bytes[size] = '\n';
    return Unpooled.unreleasableBuffer(Unpooled.directBuffer(size + 1).writeBytes(bytes).asReadOnly());
  }

  @Override
  protected void onConnecting() {
    check = new GreetingCheck(answer);
    startedAt = System.nanoTime();
  }

  @Override
  protected void onRead(ChannelHandlerContext ctx, ByteBuf in) {
    switch (check.feed(in)) {
      // Flushed at once: the server waits for the line.
      case SEND_LINE -> ctx.writeAndFlush(line.duplicate(), ctx.voidPromise());
      case WRONG -> fail(ErrorKind.WRONG_REPLY, check.problem());
      case READ -> {
        // more to come
      }
    }
  }

  @Override
  protected void onClosed() {
    if (check.answered()) {
      stats.completed(System.nanoTime() - startedAt, check.received());
      next();
    } else {
      fail(ErrorKind.CLOSED, "the server closed the connection " + check.position());
    }
  }

  @Override
  protected void onException(Throwable cause) {
    fail(ErrorKind.IO, describe(cause) + ", " + check.position());
  }

  /** A connect that hangs counts too: the exchange runs from the connect call. */
  @Override
  protected void onTick(long now) {
    if (now - startedAt > timeoutNanos) {
      timedOut();
    }
  }

  /** An exchange is in flight from the connect call to the server's close, so a stopping slot waits for that. */
  @Override
  protected boolean idle() {
    return false;
  }

  @Override
  protected void timedOut() {
    fail(ErrorKind.TIMEOUT, "no complete exchange within " + loop.options().timeoutMillis() + " ms, "
      + check.position());
  }
}
