package dev.netserver.config;

import java.util.regex.Pattern;

/** The rule for listener names: they appear in logs, stats and event bus messages. */
final class ListenerNames {

  private static final int MAX_LENGTH = 63;
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1," + MAX_LENGTH + "}");
  private static final String RULE = "1 to " + MAX_LENGTH + " lower-case letters, digits or '-'";

  private ListenerNames() {
  }

  static String read(ConfigReader r) {
    if (!r.has("name")) {
      r.problems().add(r.at("name") + " is required (" + RULE + ")");
      return null;
    }
    String name = r.string("name", null);
    if (name != null && !NAME.matcher(name).matches()) {
      // the value may be cut short in the message, so a name that is only too long says so
      String rule = name.length() > MAX_LENGTH && NAME.matcher(name.substring(0, MAX_LENGTH)).matches()
        ? "must be at most " + MAX_LENGTH + " characters long, this one has " + name.length()
        : "must be " + RULE;
      r.problems().invalid(r.at("name"), rule, name);
      return null;
    }
    return name;
  }
}
