package dev.netserver.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three texts of the greeting exchange. {@code welcome} and {@code answer} are sent followed by
 * {@code \n}; {@code prompt} is sent as is (no newline, the cursor waits after it).
 *
 * @param welcome may contain {@code {client}}: the client's address as {@code ip:port} ({@code [ip]:port} for IPv6)
 * @param prompt  no placeholders
 * @param answer  may contain {@code {count}}: the number of characters of the stripped line
 */
public record GreetingTexts(String welcome, String prompt, String answer) {

  public static final String CLIENT = "{client}";
  public static final String COUNT = "{count}";
  public static final GreetingTexts DEFAULT =
    new GreetingTexts("Welcome, " + CLIENT, "Please enter a string: ", "You entered " + COUNT + " characters.");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z0-9_]*}");

  public GreetingTexts {
    Objects.requireNonNull(welcome, "welcome");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(answer, "answer");
  }

  static GreetingTexts read(ConfigReader r) {
    String welcome = text(r, "welcome", DEFAULT.welcome(), List.of(CLIENT));
    String prompt = text(r, "prompt", DEFAULT.prompt(), List.of());
    String answer = text(r, "answer", DEFAULT.answer(), List.of(COUNT));
    r.finish();
    return new GreetingTexts(welcome, prompt, answer);
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
