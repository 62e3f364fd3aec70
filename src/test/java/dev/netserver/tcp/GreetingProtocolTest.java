package dev.netserver.tcp;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The greeting's character count")
class GreetingProtocolTest {

  /** The rule as written: decode, strip, count code points. */
  private static int reference(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8).strip();
    return text.codePointCount(0, text.length());
  }

  @Test
  @DisplayName("counts an ASCII line on its bytes exactly as decoding and String.strip() would, control characters included")
  void asciiFastPathMatchesTheRule() {
    Random random = new Random(7);
    byte[] alphabet = " \t\u000B\f\r\u001C\u001D\u001E\u001Fab0~\u0000\u007F".getBytes(StandardCharsets.US_ASCII);
    for (int n = 0; n < 20_000; n++) {
      byte[] line = new byte[random.nextInt(12)];
      for (int i = 0; i < line.length; i++) {
        line[i] = alphabet[random.nextInt(alphabet.length)];
      }
      assertThat(GreetingProtocol.countCharacters(line, line.length)).as("%s", java.util.Arrays.toString(line)).isEqualTo(reference(line));
    }
  }

  @Test
  @DisplayName("decodes a line with any non-ASCII byte: multi-byte characters, Unicode spaces, malformed sequences")
  void otherLinesAreDecoded() {
    for (String text : new String[] {"héllo", "\u2003 x \u3000", "日本語 ", "\u00A0a\u00A0"}) {
      byte[] line = text.getBytes(StandardCharsets.UTF_8);
      assertThat(GreetingProtocol.countCharacters(line, line.length)).isEqualTo(reference(line));
    }
    byte[] malformed = {'a', (byte) 0xC3, 'b', (byte) 0xFF, ' '};
    assertThat(GreetingProtocol.countCharacters(malformed, malformed.length)).isEqualTo(4);
  }
}
