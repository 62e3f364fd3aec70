package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * An echo or stream slot: one connection that keeps {@code window} messages in flight (1 for echo's
 * ping-pong) and checks that every byte comes back as sent. Replies are written while reading and
 * flushed once per read burst. A wrong byte, a close or a message older than {@code --timeout} is one
 * error; the slot then drops the connection and opens another.
 */
final class EchoClient extends Client implements ClientConnection.Owner {

  private final Payload payload;
  private final EchoCheck check;
  private final long timeoutNanos;
  private ClientConnection current;
  private boolean connected;
  private boolean unflushed;

  EchoClient(ClientLoop loop) {
    super(loop);
    this.payload = loop.payload();
    this.check = new EchoCheck(payload, loop.options().window());
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(loop.options().timeoutMillis());
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
    connected = false;
    check.reset();
    loop.tcp().handler(connection).connect().addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        fail(connection, ErrorKind.CONNECT, describe(f.cause()));
      }
    });
  }

  @Override
  public void active(ClientConnection connection) {
    if (connection != current) {
      return;
    }
    connected = true;
    if (stopping) {
      closeAndFinish();
      return;
    }
    fill(connection.ctx(), System.nanoTime());
    connection.ctx().flush();
    unflushed = false;
  }

  private void fill(ChannelHandlerContext ctx, long now) {
    while (check.canSend()) {
      long seq = check.sent(now);
      ctx.write(payload.id(ctx.alloc(), seq), ctx.voidPromise());
      if (payload.patternLength() > 0) {
        ctx.write(payload.pattern(), ctx.voidPromise());
      }
      unflushed = true;
    }
  }

  @Override
  public void read(ClientConnection connection, ByteBuf in) {
    if (connection != current) {
      return;
    }
    long now = System.nanoTime();
    if (check.feed(in, now, stats) < 0) {
      fail(connection, ErrorKind.WRONG_REPLY, check.problem());
    } else if (!stopping) {
      fill(connection.ctx(), now);
    } else if (check.inFlight() == 0) {
      closeAndFinish();
    }
  }

  @Override
  public void readComplete(ClientConnection connection) {
    if (connection == current && unflushed) {
      unflushed = false;
      connection.ctx().flush();
    }
  }

  @Override
  public void inactive(ClientConnection connection) {
    if (connection != current) {
      return;
    }
    fail(connection, ErrorKind.CLOSED, "the server closed the connection with " + check.inFlight()
      + " messages in flight");
  }

  @Override
  public void failed(ClientConnection connection, Throwable cause) {
    fail(connection, ErrorKind.IO, describe(cause));
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
    if (current != null && connected && check.inFlight() > 0 && now - check.oldestSentAt() > timeoutNanos) {
      timedOut();
    }
  }

  private void timedOut() {
    fail(current, ErrorKind.TIMEOUT, "no reply within " + loop.options().timeoutMillis() + " ms, "
      + check.inFlight() + " messages in flight");
  }

  @Override
  void stop() {
    stopping = true;
    if (current == null) {
      finish();
    } else if (connected && check.inFlight() == 0) {
      closeAndFinish();
    }
  }

  private void closeAndFinish() {
    ClientConnection connection = current;
    current = null;
    connection.close();
    finish();
  }

  @Override
  void abort() {
    stopping = true;
    if (current != null) {
      if (connected && check.inFlight() > 0) {
        timedOut();
      } else {
        closeAndFinish();
      }
    }
    finish();
  }
}
