package dev.netserver.tcp;

import dev.netserver.config.GreetingTexts;
import dev.netserver.config.TcpListenerConfig;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The texts and limits of one greeting listener, rendered to bytes once and shared (read-only) by its
 * connections, which fill in the client's address and the count without building a String.
 */
final class GreetingProtocol {

  /** The welcome line and the prompt, split where the client's address goes. */
  private final byte[][] greeting;
  /** The answer line, split where the count goes. */
  private final byte[][] answer;
  private final byte[] tooLong;
  final int maxLineBytes;

  GreetingProtocol(TcpListenerConfig config) {
    GreetingTexts texts = config.texts();
    this.greeting = split(texts.welcome() + "\n" + texts.prompt(), GreetingTexts.CLIENT);
    this.answer = split(texts.answer() + "\n", GreetingTexts.COUNT);
    this.maxLineBytes = config.maxLineBytes();
    this.tooLong = ("Line too long (limit " + maxLineBytes + " bytes).\n").getBytes(StandardCharsets.UTF_8);
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
    B out = wire.buffer(tooLong.length);
    wire.append(out, tooLong);
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
}
