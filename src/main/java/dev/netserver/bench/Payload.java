package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes of echo, stream and UDP messages, made so that every reply can be checked byte for byte:
 * message number {@code n} is {@code n} as 8 little-endian bytes (only its first {@code size} bytes
 * when the message is shorter, so the bytes that change come first), then a fixed pseudo-random
 * pattern. A byte lost, added, changed or moved shows up as a difference.
 *
 * <p>The pattern is one read-only direct buffer shared by every connection: sending a message writes
 * an 8-byte header and a view of the pattern, without copying or filling anything per message.
 */
final class Payload {

  /** The id (or sequence number) at the start of every message. */
  static final int ID_BYTES = Long.BYTES;
  private static final long PATTERN_SEED = 0x6E657473L;

  private final int size;
  private final int idLength;
  /** For comparisons: {@link ByteBuffer#mismatch} compares many bytes per instruction. */
  private final ByteBuffer patternBytes;
  /** The same memory, for writes. */
  private final ByteBuf pattern;

  Payload(int size) {
    this.size = size;
    this.idLength = Math.min(ID_BYTES, size);
    byte[] bytes = new byte[Math.max(0, size - ID_BYTES)];
    new SplittableRandom(PATTERN_SEED).nextBytes(bytes);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    this.patternBytes = direct.asReadOnlyBuffer();
    this.pattern = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct).asReadOnly());
  }

  int size() {
    return size;
  }

  int idLength() {
    return idLength;
  }

  int patternLength() {
    return size - idLength;
  }

  /** Byte {@code i} (below {@link #idLength()}) of message {@code id}. */
  static byte idByte(long id, int i) {
    return (byte) (id >>> (8 * i));
  }

  /** The id part of message {@code id}, to write before {@link #pattern()}. */
  ByteBuf id(ByteBufAllocator alloc, long id) {
    ByteBuf buf = alloc.directBuffer(ID_BYTES).writeLongLE(id);
    return buf.writerIndex(idLength);
  }

  /** A view of the pattern part, for one write (releasing it is a no-op). */
  ByteBuf pattern() {
    return pattern.duplicate();
  }

  /** Message {@code id} as one buffer: what a datagram needs. */
  ByteBuf whole(ByteBufAllocator alloc, long id) {
    ByteBuf buf = alloc.directBuffer(size).writeLongLE(id).writerIndex(idLength);
    return buf.writeBytes(pattern, 0, patternLength());
  }

  /**
   * Whether {@code length} bytes of {@code in} at {@code index} equal the pattern from {@code offset}.
   * This is where a stream run spends its time: a vectorised compare where {@code in} is one piece of
   * memory (what a socket read gives), Netty's long-by-long compare otherwise.
   */
  boolean patternMatches(ByteBuf in, int index, int offset, int length) {
    if (in.nioBufferCount() == 1) {
      // slice(int, int) reads only final fields, so threads may share the buffer.
      return in.nioBuffer(index, length).mismatch(patternBytes.slice(offset, length)) < 0;
    }
    return ByteBufUtil.equals(in, index, pattern, offset, length);
  }

  /** The pattern byte at {@code offset}, to describe a difference. */
  byte patternByte(int offset) {
    return patternBytes.get(offset);
  }
}
