package dev.netserver.config;

import java.util.regex.Pattern;

/** The rule for listener names: they appear in logs, stats and event bus messages. */
final class ListenerNames {

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");
  private static final String RULE = "1 to 63 lower-case letters, digits or '-'";

  private ListenerNames() {
  }

  static String read(ConfigReader r) {
    if (!r.has("name")) {
      r.problems().add(r.at("name") + " is required (" + RULE + ")");
      return null;
    }
    String name = r.string("name", null);
    if (name != null && !NAME.matcher(name).matches()) {
      r.problems().invalid(r.at("name"), "must be " + RULE, name);
      return null;
    }
    return name;
  }
}
