package dev.netserver.tcp;

import dev.netserver.config.GreetingTexts;
import dev.netserver.config.TcpListenerConfig;
import io.netty.util.NetUtil;
import io.vertx.core.buffer.Buffer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The texts and limits of one greeting listener, rendered once, shared (read-only) by its connections.
 */
final class GreetingProtocol {

  private final String welcome;
  private final Buffer prompt;
  private final String answer;
  private final Buffer tooLong;
  final int maxLineBytes;

  GreetingProtocol(TcpListenerConfig config) {
    GreetingTexts texts = config.texts();
    this.welcome = texts.welcome() + "\n";
    this.prompt = Buffer.buffer(texts.prompt().getBytes(StandardCharsets.UTF_8));
    this.answer = texts.answer() + "\n";
    this.maxLineBytes = config.maxLineBytes();
    this.tooLong = Buffer.buffer(("Line too long (limit " + maxLineBytes + " bytes).\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The welcome line and the prompt, in one buffer so they leave in one write. */
  Buffer greeting(SocketAddress client) {
    String text = welcome.replace(GreetingTexts.CLIENT, clientText(client));
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)).appendBuffer(prompt);
  }

  Buffer answer(int count) {
    return Buffer.buffer(answer.replace(GreetingTexts.COUNT, Integer.toString(count)).getBytes(StandardCharsets.UTF_8));
  }

  Buffer tooLong() {
    return tooLong.copy();
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
   */
  static int countCharacters(byte[] line, int length) {
    String text = new String(line, 0, length, StandardCharsets.UTF_8).strip();
    return text.codePointCount(0, text.length());
  }
}
