package dev.netserver.config;

import io.vertx.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems for one source, so that all of them are reported at once. */
final class Problems {

  private static final int MAX_VALUE_CHARS = 60;

  private final String source;
  private final List<String> lines = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  /** {@code <source>: <path> <rule> (was <value>)}. */
  void invalid(String path, String rule, Object value) {
    add(path + " " + rule + " (was " + render(value) + ")");
  }

  /** {@code <source>: <message>}. */
  void add(String message) {
    lines.add(source + ": " + message);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }

  /** Adds a problem that stops reading; the exception to throw carries it after the problems found before. */
  ConfigException fatal(String message) {
    add(message);
    return new ConfigException(lines);
  }

  static String render(Object value) {
    String text = value == null ? "null" : Json.encode(value);
    if (text.length() > MAX_VALUE_CHARS) {
      text = text.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }
    return text;
  }
}
