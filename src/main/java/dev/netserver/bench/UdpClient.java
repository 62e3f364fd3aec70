package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
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
final class UdpClient extends Client {

  private final Payload payload;
  private final int window;
  private final long udpTimeoutNanos;
  private final long[] ids;
  private final long[] sentAt;
  private final boolean[] outstanding;
  private int outstandingCount;
  private long nextSeq = 1;

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
  protected void onActive(ChannelHandlerContext ctx) {
    long now = System.nanoTime();
    for (int slot = 0; slot < window; slot++) {
      send(ctx, slot, now);
    }
  }

  private void send(ChannelHandlerContext ctx, int slot, long now) {
    long id = nextSeq++ * window + slot;
    ids[slot] = id;
    sentAt[slot] = now;
    outstanding[slot] = true;
    outstandingCount++;
    write(ctx, payload.whole(ctx.alloc(), id));
  }

  private void free(int slot) {
    outstanding[slot] = false;
    outstandingCount--;
  }

  @Override
  protected void onRead(ChannelHandlerContext ctx, ByteBuf in) {
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
        send(ctx, slot, now);
      }
    } else if (id > 0 && id <= ids[slot]) {
      stats.late();
    } else {
      stats.error(ErrorKind.WRONG_REPLY, () -> "a reply with id " + id + ", which was never sent");
    }
  }

  @Override
  protected void onClosed() {
    fail(ErrorKind.CLOSED, "the socket closed");
    dropOutstanding();
  }

  /** An ICMP error (port unreachable: nothing listens) fails a send, not the socket: counted, and it goes on. */
  @Override
  protected void onException(Throwable cause) {
    stats.error(ErrorKind.IO, () -> describe(cause));
  }

  @Override
  protected void onTick(long now) {
    if (!connected()) {
      return;
    }
    ChannelHandlerContext ctx = ctx();
    for (int slot = 0; slot < window; slot++) {
      if (outstanding[slot] && now - sentAt[slot] > udpTimeoutNanos) {
        free(slot);
        stats.lost();
        if (!stopping) {
          send(ctx, slot, now);
        }
      }
    }
  }

  @Override
  protected boolean idle() {
    return outstandingCount == 0;
  }

  /** The drain is over: what is still outstanding is lost. */
  @Override
  protected void timedOut() {
    dropOutstanding();
  }

  private void dropOutstanding() {
    for (int slot = 0; slot < window; slot++) {
      if (outstanding[slot]) {
        free(slot);
        stats.lost();
      }
    }
  }
}
