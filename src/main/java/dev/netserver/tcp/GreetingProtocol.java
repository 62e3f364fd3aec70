package dev.netserver.tcp;

import dev.netserver.config.GreetingTexts;
import dev.netserver.config.TcpListenerConfig;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The rules of one greeting listener, written once for both engines: its texts and limits, rendered to bytes
 * once and shared (read-only) by its connections, which fill in the client's address and the count without
 * building a String; how a line is assembled from the bytes as they come ({@link Line}); and the deadline of
 * a line.
 *
 * <p>The line ends at the first {@code \n}; a {@code \r} just before it belongs to the terminator. At most
 * {@code maxLineBytes + 1} bytes are ever held (the extra byte being a possible {@code \r}); one more and the
 * client gets "Line too long" and is closed. Bytes after the line are ignored. Nothing is held before the
 * client sends its first byte.
 *
 * <p>The whole line must arrive within {@code lineTimeoutSeconds} of the prompt, however slowly its bytes
 * come (each byte resets the idle clock, so the idle timeout alone would let a client hold a connection for
 * {@code maxLineBytes} idle periods). A client that misses the deadline gets "Line too slow" and is closed:
 * a person at a terminal learns why; a client that sent only a few bytes has room for one short line in its
 * socket's buffers, so the line never holds the close up.
 */
final class GreetingProtocol {

  /** Sent, with nothing after it, to a client whose unfinished line the listener has no room for. */
  static final String BUSY = "Server busy, try again later.\n";

  /** The welcome line and the prompt, split where the client's address goes. */
  private final byte[][] greeting;
  /** The answer line, split where the count goes. */
  private final byte[][] answer;
  private final byte[] tooLong;
  private final byte[] tooSlow;
  private final byte[] busy = BUSY.getBytes(StandardCharsets.UTF_8);
  final int maxLineBytes;
  /** 0 = no deadline. */
  private final long lineTimeoutNanos;

  GreetingProtocol(TcpListenerConfig config) {
    GreetingTexts texts = config.texts();
    this.greeting = split(texts.welcome() + "\n" + texts.prompt(), GreetingTexts.CLIENT);
    this.answer = split(texts.answer() + "\n", GreetingTexts.COUNT);
    this.maxLineBytes = config.maxLineBytes();
    this.tooLong = ("Line too long (limit " + maxLineBytes + " bytes).\n").getBytes(StandardCharsets.UTF_8);
    int lineTimeout = config.guard().lineTimeoutSeconds();
    this.lineTimeoutNanos = TimeUnit.SECONDS.toNanos(lineTimeout);
    this.tooSlow = ("Line too slow (limit " + lineTimeout + (lineTimeout == 1 ? " second" : " seconds") + ").\n")
      .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the deadline of a line whose prompt left at {@code promptAt} has passed at {@code now} (nanoseconds). */
  boolean lineOverdue(long promptAt, long now) {
    return lineTimeoutNanos > 0 && now - promptAt >= lineTimeoutNanos;
  }

  private static byte[][] split(String text, String placeholder) {
    String[] parts = text.split(Pattern.quote(placeholder), -1);
    byte[][] bytes = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  /** The welcome line and the prompt, in one buffer so they leave in one write. */
  <B> B greeting(Wire<B> wire, SocketAddress client) {
    return join(wire, greeting, clientText(client));
  }

  <B> B answer(Wire<B> wire, int count) {
    return join(wire, answer, Integer.toString(count));
  }

  <B> B tooLong(Wire<B> wire) {
    return bytes(wire, tooLong);
  }

  <B> B tooSlow(Wire<B> wire) {
    return bytes(wire, tooSlow);
  }

  <B> B busy(Wire<B> wire) {
    return bytes(wire, busy);
  }

  private static <B> B bytes(Wire<B> wire, byte[] bytes) {
    B out = wire.buffer(bytes.length);
    wire.append(out, bytes);
    return out;
  }

  /** The parts with {@code value} (ASCII: an address or a number) between each two. */
  private static <B> B join(Wire<B> wire, byte[][] parts, String value) {
    int size = (parts.length - 1) * value.length();
    for (byte[] part : parts) {
      size += part.length;
    }
    B out = wire.buffer(size);
    wire.append(out, parts[0]);
    for (int i = 1; i < parts.length; i++) {
      wire.appendAscii(out, value);
      wire.append(out, parts[i]);
    }
    return out;
  }

  /** {@code 127.0.0.1:5000}, {@code [::1]:5000}; IPv4 clients of a dual-stack socket show as IPv4. */
  static String clientText(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return NetUtil.toSocketAddressString(inet);
    }
    return String.valueOf(address);
  }

  /**
   * The number of characters (Unicode code points) of a line after decoding it as UTF-8 (each malformed
   * sequence becomes one U+FFFD) and stripping leading and trailing white space as {@link String#strip()}.
   * An ASCII line is counted on its bytes; only other lines are decoded.
   */
  static int countCharacters(byte[] line, int length) {
    int start = 0;
    int end = length;
    for (int i = 0; i < length; i++) {
      if (line[i] < 0) {
        String text = new String(line, 0, length, StandardCharsets.UTF_8).strip();
        return text.codePointCount(0, text.length());
      }
    }
    while (start < end && Character.isWhitespace(line[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(line[end - 1])) {
      end--;
    }
    return end - start;
  }

  /** What a {@link Line} made of the bytes it was given. */
  enum Outcome {
    /** The line goes on: wait for more bytes. */
    MORE,
    /** The line is complete: answer with {@link Line#count()}. */
    ANSWER,
    /** Longer than {@code maxLineBytes}: "Line too long". */
    TOO_LONG,
    /** Holding the line would take the listener over {@code limits.maxBufferedBytes}: "Server busy". */
    BUSY,
    /** The input ended before any byte of a line: close without an answer. */
    NOTHING,
    /** Bytes after the outcome: ignored. */
    IGNORED
  }

  /**
   * One connection's line as its bytes arrive, whatever the engine's buffers: the state machine the class
   * comment describes. The bytes held between reads are taken from the listener's {@link LineBudget} (if it
   * has one) and given back, exactly, when the line ends one way or another or {@link #release} is called.
   * Confined to the connection's event loop.
   */
  static final class Line {

    private final GreetingProtocol protocol;
    /** Null when {@code maxBufferedBytes} is off. */
    private final LineBudget budget;
    private byte[] bytes;
    private int length;
    /** Bytes taken from the budget. */
    private int reserved;
    private int count;
    private boolean finished;

    Line(GreetingProtocol protocol, LineBudget budget) {
      this.protocol = protocol;
      this.budget = budget;
    }

    /** Takes the bytes of one read (the caller keeps and releases {@code data}). */
    <B> Outcome feed(Wire<B> wire, B data) {
      if (finished) {
        return Outcome.IGNORED;
      }
      int newline = wire.indexOf(data, (byte) '\n');
      int take = newline >= 0 ? newline : wire.length(data);
      int limit = protocol.maxLineBytes + 1;
      if (length + take > limit) {
        return finish(Outcome.TOO_LONG);
      }
      // held past this read only if the line goes on; a line that ends here is answered from this read
      if (newline < 0 && take > 0 && budget != null) {
        if (!budget.tryReserve(take)) {
          return finish(Outcome.BUSY);
        }
        reserved += take;
      }
      if (take > 0) {
        if (bytes == null) {
          bytes = new byte[Math.min(limit, Math.max(take, 128))];
        } else if (length + take > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + take, bytes.length * 2)));
        }
        wire.copy(data, bytes, length, take);
        length += take;
      }
      if (newline >= 0) {
        return answer(true);
      }
      if (length == limit && bytes[length - 1] != '\r') {
        return finish(Outcome.TOO_LONG);
      }
      return Outcome.MORE;
    }

    /** The client will send nothing more: a partial line is answered as it is, as the textbook's readline() does. */
    Outcome end() {
      if (finished) {
        return Outcome.IGNORED;
      }
      return length > 0 ? answer(false) : finish(Outcome.NOTHING);
    }

    /** The characters of the answered line. */
    int count() {
      return count;
    }

    boolean finished() {
      return finished;
    }

    /** Ends the line without an outcome (a deadline, a close), giving its bytes back. */
    void release() {
      finish(Outcome.IGNORED);
    }

    /** The bytes this line holds of the listener's budget. */
    int reserved() {
      return reserved;
    }

    private Outcome answer(boolean terminated) {
      int n = length;
      if (terminated && n > 0 && bytes[n - 1] == '\r') {
        n--;
      }
      if (n > protocol.maxLineBytes) {
        return finish(Outcome.TOO_LONG);
      }
      count = n == 0 ? 0 : countCharacters(bytes, n);
      return finish(Outcome.ANSWER);
    }

    private Outcome finish(Outcome outcome) {
      finished = true;
      bytes = null;
      if (reserved > 0) {
        budget.release(reserved);
        reserved = 0;
      }
      return outcome;
    }
  }
}
