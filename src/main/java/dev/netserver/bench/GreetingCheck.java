package dev.netserver.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * What a greet client must receive, checked byte by byte as it arrives in however many pieces:
 * {@code Welcome, <ip>:<port>\n}, then exactly {@code Please enter a string: }, then (after the line
 * is sent) exactly {@code You entered <size> characters.\n}, then nothing but the close. The address in
 * the welcome line is not compared: through NAT or a proxy it is not the client's own.
 *
 * <p>One instance per connection; no string is built unless the bytes are wrong.
 */
final class GreetingCheck {

  static final String WELCOME = "Welcome, ";
  static final String PROMPT = "Please enter a string: ";
  /** An address, even IPv6 with brackets and port, fits many times over. */
  static final int MAX_WELCOME_ADDRESS = 256;
  private static final byte[] WELCOME_BYTES = WELCOME.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROMPT_BYTES = PROMPT.getBytes(StandardCharsets.US_ASCII);

  /** What the caller does after {@link #feed}. */
  enum Next {
    /** Wait for more bytes (or, once {@link #answered()}, for the close). */
    READ,
    /** The prompt is complete: send the line now. */
    SEND_LINE,
    /** The bytes are wrong: {@link #problem()} says how. */
    WRONG
  }

  private enum Step { WELCOME, ADDRESS, PROMPT, ANSWER, CLOSE, WRONG }

  private final byte[] answer;
  private Step step = Step.WELCOME;
  private int pos;
  private long received;
  private String problem;

  /** @param expectedAnswer {@link #answerFor(int)} of the line's length, shared by every connection */
  GreetingCheck(byte[] expectedAnswer) {
    this.answer = expectedAnswer;
  }

  /** The answer to a line of {@code size} ASCII characters. */
  static byte[] answerFor(int size) {
    return ("You entered " + size + " characters.\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Checks all readable bytes of {@code in}; does not move its reader index. */
  Next feed(ByteBuf in) {
    int index = in.readerIndex();
    int end = in.writerIndex();
    received += end - index;
    Next next = Next.READ;
    while (index < end) {
      byte b = in.getByte(index);
      switch (step) {
        case WELCOME -> {
          if (b != WELCOME_BYTES[pos]) {
            return wrong("expected \"" + WELCOME + "\"", WELCOME_BYTES, in, index);
          }
          if (++pos == WELCOME_BYTES.length) {
            step = Step.ADDRESS;
            pos = 0;
          }
        }
        case ADDRESS -> {
          if (b == '\n') {
            step = Step.PROMPT;
            pos = 0;
          } else if (++pos > MAX_WELCOME_ADDRESS) {
            return wrong("no end of the welcome line within " + MAX_WELCOME_ADDRESS + " bytes", null, in, index);
          }
        }
        case PROMPT -> {
          if (b != PROMPT_BYTES[pos]) {
            return wrong("expected the prompt \"" + PROMPT + "\"", PROMPT_BYTES, in, index);
          }
          if (++pos == PROMPT_BYTES.length) {
            step = Step.ANSWER;
            pos = 0;
            next = Next.SEND_LINE;
          }
        }
        case ANSWER -> {
          if (b != answer[pos]) {
            return wrong("expected \"" + escape(answer, 0, answer.length) + "\"", answer, in, index);
          }
          if (++pos == answer.length) {
            step = Step.CLOSE;
          }
        }
        case CLOSE -> {
          return wrong("expected the close after the answer", null, in, index);
        }
        case WRONG -> {
          return Next.WRONG;
        }
      }
      index++;
    }
    return next;
  }

  /** Whether the whole answer has arrived, so that a close now completes the exchange. */
  boolean answered() {
    return step == Step.CLOSE;
  }

  /** Bytes received so far. */
  long received() {
    return received;
  }

  /** What was wrong, or {@code null}. */
  String problem() {
    return problem;
  }

  /** Where the exchange stood, for a premature close or a timeout. */
  String position() {
    return switch (step) {
      case WELCOME, ADDRESS -> "before the end of the welcome line";
      case PROMPT -> "before the end of the prompt";
      case ANSWER -> "before the end of the answer";
      case CLOSE -> "after the answer";
      case WRONG -> "after a wrong reply";
    } + " (" + received + " bytes received)";
  }

  /**
   * @param matched what this step expects, of which the first {@code pos} bytes have arrived (they are
   *                shown with the rest, so the message shows the whole wrong text), or {@code null}
   */
  private Next wrong(String expected, byte[] matched, ByteBuf in, int index) {
    int before = matched == null ? 0 : pos;
    int shown = Math.min(in.writerIndex() - index, 60);
    byte[] got = new byte[before + shown];
    if (before > 0) {
      System.arraycopy(matched, 0, got, 0, before);
    }
    in.getBytes(index, got, before, shown);
    problem = expected + ", got \"" + escape(got, 0, got.length) + "\"" + (shown < in.writerIndex() - index ? "..." : "");
    step = Step.WRONG;
    return Next.WRONG;
  }

  /** Bytes as text with control characters and non-ASCII escaped, for an error message. */
  static String escape(byte[] bytes, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      int c = bytes[i] & 0xff;
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"', '\\' -> b.append('\\').append((char) c);
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            b.append((char) c);
          } else {
            b.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    return b.toString();
  }
}
