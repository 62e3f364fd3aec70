package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * A udp slot: one socket, connected to the server, that keeps {@code window} datagrams outstanding.
 * Each datagram starts with an id, {@code seq * window + slot}, so a reply finds its slot at once and
 * can be told apart from a late reply to a datagram already given up on. A datagram without a reply
 * after {@code --udp-timeout} is lost, and its slot sends a new one.
 *
 * <p>A reply with a wrong length or wrong bytes, or with an id never sent, is an error. A late reply is
 * only counted ({@code late}): its datagram already counts as lost.
 */
final class UdpClient extends Client implements ClientConnection.Owner {

  private final Payload payload;
  private final int window;
  private final long udpTimeoutNanos;
  private final long[] ids;
  private final long[] sentAt;
  private final boolean[] outstanding;
  private int outstandingCount;
  private long nextSeq = 1;
  private ClientConnection current;
  private boolean connected;
  private boolean unflushed;

  UdpClient(ClientLoop loop) {
    super(loop);
    this.payload = loop.payload();
    this.window = loop.options().window();
    this.udpTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(loop.options().udpTimeoutMillis());
    this.ids = new long[window];
    this.sentAt = new long[window];
    this.outstanding = new boolean[window];
  }

  @Override
  void start() {
    open();
  }

  private void open() {
    if (stopping) {
      finish();
      return;
    }
    ClientConnection connection = new ClientConnection(this);
    current = connection;
    connected = false;
    loop.connectUdp(connection).addListener((ChannelFuture f) -> {
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
    ChannelHandlerContext ctx = connection.ctx();
    long now = System.nanoTime();
    for (int slot = 0; slot < window; slot++) {
      send(ctx, slot, now);
    }
    flush(ctx);
  }

  private void send(ChannelHandlerContext ctx, int slot, long now) {
    long id = nextSeq++ * window + slot;
    ids[slot] = id;
    sentAt[slot] = now;
    outstanding[slot] = true;
    outstandingCount++;
    ctx.write(payload.whole(ctx.alloc(), id), ctx.voidPromise());
    unflushed = true;
  }

  private void flush(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  private void free(int slot) {
    outstanding[slot] = false;
    outstandingCount--;
  }

  @Override
  public void read(ClientConnection connection, ByteBuf in) {
    if (connection != current) {
      return;
    }
    long now = System.nanoTime();
    int length = in.readableBytes();
    if (length < Payload.ID_BYTES) {
      stats.error(ErrorKind.WRONG_REPLY, () -> "a datagram of " + length + " bytes, too short for an id");
      return;
    }
    long id = in.getLongLE(in.readerIndex());
    int slot = (int) Math.floorMod(id, (long) window);
    if (id > 0 && outstanding[slot] && ids[slot] == id) {
      free(slot);
      if (length != payload.size()) {
        stats.error(ErrorKind.WRONG_REPLY, () -> "datagram " + id + " came back with " + length + " bytes instead of "
          + payload.size());
      } else if (!payload.patternMatches(in, in.readerIndex() + Payload.ID_BYTES, 0, payload.patternLength())) {
        stats.error(ErrorKind.WRONG_REPLY, () -> "datagram " + id + " came back with different bytes");
      } else {
        stats.completed(now - sentAt[slot], length);
      }
      if (!stopping) {
        send(connection.ctx(), slot, now);
      } else if (outstandingCount == 0) {
        closeAndFinish();
      }
    } else if (id > 0 && id <= ids[slot]) {
      stats.late();
    } else {
      stats.error(ErrorKind.WRONG_REPLY, () -> "a reply with id " + id + ", which was never sent");
    }
  }

  @Override
  public void readComplete(ClientConnection connection) {
    if (connection == current) {
      flush(connection.ctx());
    }
  }

  @Override
  public void inactive(ClientConnection connection) {
    if (connection == current) {
      fail(connection, ErrorKind.CLOSED, "the socket closed");
    }
  }

  /** An ICMP error (port unreachable: nothing listens) fails a send, not the socket: counted, and it goes on. */
  @Override
  public void failed(ClientConnection connection, Throwable cause) {
    if (connection == current) {
      stats.error(ErrorKind.IO, () -> describe(cause));
    }
  }

  private void fail(ClientConnection connection, ErrorKind kind, String problem) {
    if (connection != current) {
      return;
    }
    current = null;
    stats.error(kind, () -> problem);
    dropOutstanding();
    connection.close();
    retryLater(this::open);
  }

  private void dropOutstanding() {
    for (int slot = 0; slot < window; slot++) {
      if (outstanding[slot]) {
        free(slot);
        stats.lost();
      }
    }
  }

  @Override
  void tick(long now) {
    if (current == null || !connected) {
      return;
    }
    ChannelHandlerContext ctx = current.ctx();
    for (int slot = 0; slot < window; slot++) {
      if (outstanding[slot] && now - sentAt[slot] > udpTimeoutNanos) {
        free(slot);
        stats.lost();
        if (!stopping) {
          send(ctx, slot, now);
        }
      }
    }
    if (stopping && outstandingCount == 0) {
      closeAndFinish();
    } else {
      flush(ctx);
    }
  }

  @Override
  void stop() {
    stopping = true;
    if (current == null) {
      finish();
    } else if (connected && outstandingCount == 0) {
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
    dropOutstanding();
    if (current != null) {
      closeAndFinish();
    }
    finish();
  }
}
