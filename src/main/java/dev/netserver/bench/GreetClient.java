package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A greet slot: connect, read the welcome line and the prompt, send the line, read the answer, see the
 * server close; then the next connection. The latency of an exchange runs from the connect call to the
 * close. A connection that fails in any way is one error, and the slot goes on with a new one.
 */
final class GreetClient extends Client implements ClientConnection.Owner {

  private final ByteBuf line;
  private final byte[] answer;
  private final long timeoutNanos;
  private ClientConnection current;
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
  void start() {
    connect();
  }

  private void connect() {
    if (stopping) {
      finish();
      return;
    }
    ClientConnection connection = new ClientConnection(this);
    current = connection;
    check = new GreetingCheck(answer);
    startedAt = System.nanoTime();
    loop.tcp().handler(connection).connect().addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        fail(connection, ErrorKind.CONNECT, describe(f.cause()));
      }
    });
  }

  @Override
  public void active(ClientConnection connection) {
    // The server speaks first.
  }

  @Override
  public void read(ClientConnection connection, ByteBuf in) {
    if (connection != current) {
      return;
    }
    switch (check.feed(in)) {
      case SEND_LINE -> connection.ctx().writeAndFlush(line.duplicate(), connection.ctx().voidPromise());
      case WRONG -> fail(connection, ErrorKind.WRONG_REPLY, check.problem());
      case READ -> {
        // more to come
      }
    }
  }

  @Override
  public void readComplete(ClientConnection connection) {
    // The line is flushed when it is written.
  }

  @Override
  public void inactive(ClientConnection connection) {
    if (connection != current) {
      return;
    }
    if (check.answered()) {
      current = null;
      stats.completed(System.nanoTime() - startedAt, check.received());
      if (stopping) {
        finish();
      } else {
        connect();
      }
    } else {
      fail(connection, ErrorKind.CLOSED, "the server closed the connection " + check.position());
    }
  }

  @Override
  public void failed(ClientConnection connection, Throwable cause) {
    if (connection == current) {
      fail(connection, ErrorKind.IO, describe(cause) + ", " + check.position());
    }
  }

  private void fail(ClientConnection connection, ErrorKind kind, String problem) {
    if (connection != current) {
      return;
    }
    current = null;
    stats.error(kind, () -> problem);
    connection.close();
    retryLater(this::connect);
  }

  @Override
  void tick(long now) {
    if (current != null && now - startedAt > timeoutNanos) {
      timedOut();
    }
  }

  private void timedOut() {
    fail(current, ErrorKind.TIMEOUT, "no complete exchange within " + loop.options().timeoutMillis() + " ms, "
      + check.position());
  }

  @Override
  void stop() {
    stopping = true;
    if (current == null) {
      finish();
    }
  }

  @Override
  void abort() {
    stopping = true;
    if (current != null) {
      timedOut();
    }
    finish();
  }
}
