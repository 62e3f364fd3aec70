package dev.netserver.config;

import java.util.List;

/**
 * The configuration is unusable. Carries every problem found, one line each, each already naming the
 * source (file), the JSON path, the rule and the value. Thrown once, after validation has looked at
 * everything.
 */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(summary(problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** The problems, one line each, in the order they were found. */
  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return problems.size() + " configuration problems:\n" + String.join("\n", problems);
  }
}
