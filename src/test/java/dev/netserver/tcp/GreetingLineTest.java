package dev.netserver.tcp;

import dev.netserver.config.Binding;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.tcp.GreetingProtocol.Line;
import dev.netserver.tcp.GreetingProtocol.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The greeting's line assembler ({@link GreetingProtocol.Line}) against itself: whatever the chunks the bytes
 * arrive in, on either engine's buffers, the outcome is the one the whole input at once gives, and the bytes it
 * held of the listener's budget all come back. Random cases from fixed seeds (plain JUnit: no jqwik).
 */
@DisplayName("The greeting's line assembler")
class GreetingLineTest {

  /** Bytes that matter to the rules, and then any byte. */
  private static final byte[] INTERESTING = {'a', ' ', '\t', '\r', '\n', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82,
    (byte) 0xAC, (byte) 0xFF};

  /** What a line made of an input: its outcome and, for an answer, the count. */
  private record Result(Outcome outcome, int count) {
  }

  /** One engine's buffers: how to wrap bytes for it, and its wire (only the reading methods are used). */
  private record Engine<B>(String name, Wire<B> wire, Function<byte[], B> wrap) {
  }

  private static final List<Engine<?>> ENGINES = List.of(
    new Engine<ByteBuf>("direct", new ChannelAdapter(null), Unpooled::wrappedBuffer),
    new Engine<Buffer>("vertx", new NetSocketAdapter(null, null, null), Buffer::buffer));

  private static GreetingProtocol protocol(int maxLineBytes) {
    return new GreetingProtocol(TcpListenerConfig.of("g", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withMaxLineBytes(maxLineBytes));
  }

  private static byte[] randomInput(Random random) {
    byte[] bytes = new byte[random.nextInt(64)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)];
    }
    return bytes;
  }

  /** Cuts {@code bytes} into pieces at random places (empty pieces included). */
  private static List<byte[]> randomChunks(Random random, byte[] bytes) {
    List<byte[]> chunks = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      int n = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Math.min(bytes.length - at, 1 + random.nextInt(12)));
      chunks.add(Arrays.copyOfRange(bytes, at, at + n));
      at += n;
    }
    return chunks;
  }

  /** Feeds the chunks, then ends the input if the line still goes on; checks what it holds on the way. */
  private static <B> Result assemble(Engine<B> engine, GreetingProtocol protocol, LineBudget budget, List<byte[]> chunks) {
    Line line = new Line(protocol, budget);
    Outcome outcome = Outcome.MORE;
    int fed = 0;
    for (byte[] chunk : chunks) {
      Outcome o = line.feed(engine.wire(), engine.wrap().apply(chunk));
      if (outcome != Outcome.MORE) {
        assertThat(o).as("bytes after the outcome").isEqualTo(Outcome.IGNORED);
        continue;
      }
      outcome = o;
      fed += chunk.length;
      if (outcome == Outcome.MORE) {
        // no newline yet: every byte so far is held, and taken from the budget
        assertThat(line.reserved()).isEqualTo(fed);
        assertThat(budget.held()).isEqualTo(fed);
      }
    }
    if (outcome == Outcome.MORE) {
      outcome = line.end();
    }
    assertThat(budget.held()).as("the budget after the outcome").isZero();
    return new Result(outcome, outcome == Outcome.ANSWER ? line.count() : -1);
  }

  @Test
  @DisplayName("gives the same outcome for any chunking of random bytes as for the bytes at once, and gives the budget back")
  void chunkingChangesNothing() {
    Random random = new Random(20261130);
    for (int n = 0; n < 20_000; n++) {
      int maxLineBytes = 1 + random.nextInt(40);
      GreetingProtocol protocol = protocol(maxLineBytes);
      byte[] input = randomInput(random);
      Engine<?> engine = ENGINES.get(n % 2);
      LineBudget budget = new LineBudget(Long.MAX_VALUE);
      Result whole = assemble(engine, protocol, budget, List.of(input));
      for (int k = 0; k < 3; k++) {
        List<byte[]> chunks = randomChunks(random, input);
        assertThat(assemble(engine, protocol, budget, chunks))
          .as("engine %s, maxLineBytes %d, input %s in %d chunks", engine.name(), maxLineBytes, Arrays.toString(input), chunks.size())
          .isEqualTo(whole);
      }
    }
  }

  @Test
  @DisplayName("answers what the rules say: the count of the stripped line before the first \\n, CR LF as a terminator")
  void outcomes() {
    GreetingProtocol protocol = protocol(5);
    Engine<?> engine = ENGINES.get(0);
    assertThat(assemble(engine, protocol, new LineBudget(100), List.of(bytes("he"), bytes("llo\r"), bytes("\nmore"))))
      .isEqualTo(new Result(Outcome.ANSWER, 5));
    assertThat(assemble(engine, protocol, new LineBudget(100), List.of(bytes("hello!\n"))))
      .isEqualTo(new Result(Outcome.TOO_LONG, -1));
    assertThat(assemble(engine, protocol, new LineBudget(100), List.of(bytes("hello"), bytes("!"))))
      .isEqualTo(new Result(Outcome.TOO_LONG, -1));
    assertThat(assemble(engine, protocol, new LineBudget(100), List.of())).isEqualTo(new Result(Outcome.NOTHING, -1));
    assertThat(assemble(engine, protocol, new LineBudget(100), List.of(bytes(" ab ")))).isEqualTo(new Result(Outcome.ANSWER, 2));
  }

  @Test
  @DisplayName("is refused as busy when holding its bytes would go over the budget, and holds nothing after")
  void busy() {
    LineBudget budget = new LineBudget(6);
    GreetingProtocol protocol = protocol(8);
    Wire<ByteBuf> wire = new ChannelAdapter(null);
    Line first = new Line(protocol, budget);
    Line second = new Line(protocol, budget);
    assertThat(first.feed(wire, Unpooled.wrappedBuffer(bytes("abcd")))).isEqualTo(Outcome.MORE);
    assertThat(second.feed(wire, Unpooled.wrappedBuffer(bytes("ef")))).isEqualTo(Outcome.MORE);
    assertThat(budget.held()).isEqualTo(6);
    assertThat(second.feed(wire, Unpooled.wrappedBuffer(bytes("g")))).isEqualTo(Outcome.BUSY);
    assertThat(budget.held()).isEqualTo(4);
    // a line that ends in the read that brings its last bytes needs no room
    assertThat(first.feed(wire, Unpooled.wrappedBuffer(bytes("efgh\n")))).isEqualTo(Outcome.ANSWER);
    assertThat(first.count()).isEqualTo(8);
    assertThat(budget.held()).isZero();
    Line third = new Line(protocol, budget);
    assertThat(third.feed(wire, Unpooled.wrappedBuffer(bytes("xyz")))).isEqualTo(Outcome.MORE);
    third.release();
    third.release();
    assertThat(budget.held()).isZero();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
