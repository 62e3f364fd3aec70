package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("bench greet: the check of what the server sends")
class GreetingCheckTest {

  private static final String GREETING = "Welcome, 127.0.0.1:40000\nPlease enter a string: ";

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private static GreetingCheck check(int size) {
    return new GreetingCheck(GreetingCheck.answerFor(size));
  }

  @Test
  @DisplayName("asks for the line once the prompt is complete, then accepts exactly the answer")
  void rightExchange() {
    GreetingCheck check = check(64);
    assertThat(check.feed(bytes(GREETING))).isEqualTo(GreetingCheck.Next.SEND_LINE);
    assertThat(check.answered()).isFalse();
    assertThat(check.feed(bytes("You entered 64 characters.\n"))).isEqualTo(GreetingCheck.Next.READ);
    assertThat(check.answered()).isTrue();
    assertThat(check.problem()).isNull();
    assertThat(check.received()).isEqualTo(GREETING.length() + "You entered 64 characters.\n".length());
  }

  @Test
  @DisplayName("accepts the exchange cut into single bytes, and an IPv6 welcome")
  void byteByByte() {
    GreetingCheck check = check(0);
    String all = "Welcome, [::1]:40000\nPlease enter a string: You entered 0 characters.\n";
    int sendLine = 0;
    for (char c : all.toCharArray()) {
      GreetingCheck.Next next = check.feed(bytes(String.valueOf(c)));
      assertThat(next).isNotEqualTo(GreetingCheck.Next.WRONG);
      sendLine += next == GreetingCheck.Next.SEND_LINE ? 1 : 0;
    }
    assertThat(sendLine).isEqualTo(1);
    assertThat(check.answered()).isTrue();
  }

  @Test
  @DisplayName("flags a wrong count, saying what was expected and what came")
  void wrongCount() {
    GreetingCheck check = check(64);
    check.feed(bytes(GREETING));
    assertThat(check.feed(bytes("You entered 99 characters.\n"))).isEqualTo(GreetingCheck.Next.WRONG);
    assertThat(check.answered()).isFalse();
    assertThat(check.problem()).isEqualTo("expected \"You entered 64 characters.\\n\", got \"You entered 99 characters.\\n\"");
  }

  @Test
  @DisplayName("flags bytes after the answer, where only the close may come")
  void bytesAfterAnswer() {
    GreetingCheck check = check(3);
    check.feed(bytes(GREETING));
    assertThat(check.feed(bytes("You entered 3 characters.\nmore"))).isEqualTo(GreetingCheck.Next.WRONG);
    assertThat(check.problem()).startsWith("expected the close after the answer, got \"more\"");
  }

  @Test
  @DisplayName("flags a wrong welcome, a wrong prompt and a welcome line that never ends")
  void wrongGreeting() {
    assertThat(check(1).feed(bytes("Hello\n"))).isEqualTo(GreetingCheck.Next.WRONG);
    GreetingCheck prompt = check(1);
    assertThat(prompt.feed(bytes("Welcome, x\nEnter: "))).isEqualTo(GreetingCheck.Next.WRONG);
    assertThat(prompt.problem()).startsWith("expected the prompt");
    GreetingCheck endless = check(1);
    assertThat(endless.feed(bytes("Welcome, " + "x".repeat(GreetingCheck.MAX_WELCOME_ADDRESS + 1))))
      .isEqualTo(GreetingCheck.Next.WRONG);
  }

  @Test
  @DisplayName("escapes control and non-ASCII bytes in its messages")
  void escapes() {
    byte[] bytes = {'a', '\r', '\n', (byte) 0xc3, '"'};
    assertThat(GreetingCheck.escape(bytes, 0, bytes.length)).isEqualTo("a\\r\\n\\xc3\\\"");
  }
}
