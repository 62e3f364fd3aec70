package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("bench echo and stream: the check of the bytes that come back")
class EchoCheckTest {

  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  /** Message {@code seq} as the client sends it. */
  private ByteBuf message(Payload payload, long seq) {
    ByteBuf id = payload.id(alloc, seq);
    ByteBuf all = Unpooled.buffer().writeBytes(id).writeBytes(payload.pattern());
    id.release();
    return all;
  }

  private static LoopStats measuring() {
    LoopStats stats = new LoopStats();
    stats.startMeasuring();
    return stats;
  }

  @Test
  @DisplayName("completes each message of a window when its last byte arrives, wherever the segments cut")
  void windowInPieces() {
    Payload payload = new Payload(100);
    EchoCheck check = new EchoCheck(payload, 3);
    LoopStats stats = measuring();
    check.reset();
    for (int i = 0; i < 3; i++) {
      check.sent(System.nanoTime());
    }
    assertThat(check.canSend()).isFalse();
    ByteBuf all = Unpooled.buffer().writeBytes(message(payload, 0)).writeBytes(message(payload, 1))
      .writeBytes(message(payload, 2));
    assertThat(check.feed(all.readSlice(150), System.nanoTime(), stats)).isEqualTo(1);
    assertThat(check.feed(all.readSlice(7), System.nanoTime(), stats)).isZero();
    assertThat(check.feed(all.readSlice(143), System.nanoTime(), stats)).isEqualTo(2);
    assertThat(check.inFlight()).isZero();
    assertThat(stats.endMeasuring().exchanges()).isEqualTo(3);
  }

  @Test
  @DisplayName("flags one corrupted byte of the pattern, naming the message and the byte")
  void corruptedPattern() {
    Payload payload = new Payload(64);
    EchoCheck check = new EchoCheck(payload, 1);
    check.reset();
    check.sent(System.nanoTime());
    ByteBuf reply = message(payload, 0);
    reply.setByte(40, reply.getByte(40) ^ 1);
    assertThat(check.feed(reply, System.nanoTime(), measuring())).isEqualTo(-1);
    assertThat(check.problem()).startsWith("message 0 byte 40 of 64: expected 0x");
  }

  @Test
  @DisplayName("flags messages that come back in the wrong order")
  void wrongOrder() {
    Payload payload = new Payload(16);
    EchoCheck check = new EchoCheck(payload, 2);
    check.reset();
    check.sent(System.nanoTime());
    check.sent(System.nanoTime());
    assertThat(check.feed(message(payload, 1), System.nanoTime(), measuring())).isEqualTo(-1);
    assertThat(check.problem()).startsWith("message 0 byte 0 of 16");
  }

  @Test
  @DisplayName("flags bytes that arrive while nothing is in flight")
  void extraBytes() {
    Payload payload = new Payload(8);
    EchoCheck check = new EchoCheck(payload, 1);
    check.reset();
    check.sent(System.nanoTime());
    ByteBuf twice = Unpooled.buffer().writeBytes(message(payload, 0)).writeByte(0);
    assertThat(check.feed(twice, System.nanoTime(), measuring())).isEqualTo(-1);
    assertThat(check.problem()).contains("no message was in flight");
  }

  @Test
  @DisplayName("checks messages shorter than the sequence number by its first bytes")
  void tinyMessages() {
    Payload payload = new Payload(1);
    EchoCheck check = new EchoCheck(payload, 2);
    LoopStats stats = measuring();
    check.reset();
    check.sent(System.nanoTime());
    check.sent(System.nanoTime());
    assertThat(check.feed(Unpooled.wrappedBuffer(new byte[] {0, 1}), System.nanoTime(), stats)).isEqualTo(2);
    check.sent(System.nanoTime());
    assertThat(check.feed(Unpooled.wrappedBuffer(new byte[] {3}), System.nanoTime(), stats)).isEqualTo(-1);
  }
}
