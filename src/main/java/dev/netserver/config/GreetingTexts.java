package dev.netserver.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts a TCP listener sends. {@code welcome}, {@code answer} and {@code refused} are sent followed by
 * {@code \n}; {@code prompt} is sent as is (no newline, the cursor waits after it). Only {@code refused} applies
 * to echo listeners too.
 *
 * @param welcome may contain {@code {client}}: the client's address as {@code ip:port} ({@code [ip]:port} for IPv6)
 * @param prompt  no placeholders
 * @param answer  may contain {@code {count}}: the number of characters of the stripped line
 * @param refused no placeholders; sent to a client refused by a limit or an access list before it is closed
 *                (xinetd's {@code banner_fail}); {@code ""} = closed without a word
 */
public record GreetingTexts(String welcome, String prompt, String answer, String refused) {

  public static final String CLIENT = "{client}";
  public static final String COUNT = "{count}";
  public static final GreetingTexts DEFAULT =
    new GreetingTexts("Welcome, " + CLIENT, "Please enter a string: ", "You entered " + COUNT + " characters.", "");
  /** The keys that apply only to greeting listeners. */
  static final List<String> GREETING_ONLY = List.of("welcome", "prompt", "answer");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z0-9_]*}");

  public GreetingTexts {
    Objects.requireNonNull(welcome, "welcome");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(refused, "refused");
  }

  /** The greeting texts with no refusal text. */
  public GreetingTexts(String welcome, String prompt, String answer) {
    this(welcome, prompt, answer, "");
  }

  public GreetingTexts withRefused(String text) {
    return new GreetingTexts(welcome, prompt, answer, text);
  }

  static GreetingTexts read(ConfigReader r) {
    String welcome = text(r, "welcome", DEFAULT.welcome(), List.of(CLIENT));
    String prompt = text(r, "prompt", DEFAULT.prompt(), List.of());
    String answer = text(r, "answer", DEFAULT.answer(), List.of(COUNT));
    String refused = text(r, "refused", DEFAULT.refused(), List.of());
    r.finish();
    return new GreetingTexts(welcome, prompt, answer, refused);
  }

  private static String text(ConfigReader r, String key, String def, List<String> allowed) {
    String value = r.string(key, def);
    if (value == null) {
      return def;
    }
    Matcher m = PLACEHOLDER.matcher(value);
    while (m.find()) {
      if (!allowed.contains(m.group())) {
        String rule = allowed.isEmpty()
          ? "must not contain placeholders, found " + m.group()
          : "may contain only " + String.join(", ", allowed) + " as placeholder, found " + m.group();
        r.problems().invalid(r.at(key), rule, value);
        return def;
      }
    }
    return value;
  }
}
