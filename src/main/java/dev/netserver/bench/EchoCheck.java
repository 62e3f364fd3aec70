package dev.netserver.bench;

import io.netty.buffer.ByteBuf;

/**
 * The messages in flight on one echo or stream connection and the check of what comes back. TCP keeps
 * the order, so the reply stream must be the sent messages in order, byte for byte: the bytes that
 * arrive are compared with the oldest message in flight wherever the segments happen to cut them.
 * A message's latency is from its send to the arrival of its last byte.
 *
 * <p>Reset per connection; confined to the connection's event loop.
 */
final class EchoCheck {

  private final Payload payload;
  private final int window;
  private final long[] sentAt;
  private long nextSeq;
  private long headSeq;
  private int headPos;
  private String problem;

  EchoCheck(Payload payload, int window) {
    this.payload = payload;
    this.window = window;
    this.sentAt = new long[window];
  }

  /** A new connection: nothing in flight, numbering from 0. */
  void reset() {
    nextSeq = 0;
    headSeq = 0;
    headPos = 0;
    problem = null;
  }

  boolean canSend() {
    return nextSeq - headSeq < window;
  }

  int inFlight() {
    return (int) (nextSeq - headSeq);
  }

  /** Records a message as sent now and returns its number, for {@link Payload#id}. */
  long sent(long now) {
    long seq = nextSeq++;
    sentAt[(int) (seq % window)] = now;
    return seq;
  }

  /** When the oldest message in flight was sent; meaningful only while {@link #inFlight()} > 0. */
  long oldestSentAt() {
    return sentAt[(int) (headSeq % window)];
  }

  /**
   * Checks all readable bytes of {@code in} (without moving its reader index) and records each
   * message completed in {@code stats}.
   *
   * @return the number of messages completed, or -1 when the bytes are wrong ({@link #problem()})
   */
  int feed(ByteBuf in, long now, LoopStats stats) {
    int size = payload.size();
    int idLength = payload.idLength();
    int index = in.readerIndex();
    int end = in.writerIndex();
    int done = 0;
    while (index < end) {
      if (headSeq == nextSeq) {
        return wrong("bytes arrived while no message was in flight (" + (end - index) + " extra bytes)");
      }
      if (headPos < idLength) {
        byte expected = Payload.idByte(headSeq, headPos);
        byte got = in.getByte(index);
        if (got != expected) {
          return wrong(headSeq, headPos, expected, got);
        }
        headPos++;
        index++;
      } else {
        int n = Math.min(end - index, size - headPos);
        int offset = headPos - idLength;
        if (!payload.patternMatches(in, index, offset, n)) {
          for (int i = 0; i < n; i++) {
            byte got = in.getByte(index + i);
            if (got != payload.patternByte(offset + i)) {
              return wrong(headSeq, headPos + i, payload.patternByte(offset + i), got);
            }
          }
        }
        headPos += n;
        index += n;
      }
      if (headPos == size) {
        stats.completed(now - sentAt[(int) (headSeq % window)], size);
        headSeq++;
        headPos = 0;
        done++;
      }
    }
    return done;
  }

  /** What was wrong, or {@code null}. */
  String problem() {
    return problem;
  }

  private int wrong(long seq, int at, byte expected, byte got) {
    return wrong(String.format("message %d byte %d of %d: expected 0x%02x, got 0x%02x", seq, at, payload.size(),
      expected & 0xff, got & 0xff));
  }

  private int wrong(String text) {
    problem = text;
    return -1;
  }
}
