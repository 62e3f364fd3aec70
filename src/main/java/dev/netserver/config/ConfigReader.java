package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one JSON object of the configuration, key by key, checking type and range and recording a
 * problem (never throwing) for each value that breaks its rule; the default stands in for a bad value
 * so that reading can go on and find the next problem. {@link #finish()} reports the keys nobody asked
 * for, with the nearest known key as a suggestion.
 *
 * <p>Vert.x's generated {@code fromJson} methods silently skip unknown keys and wrong types; this is why
 * the configuration is read here and not through {@code new NetServerOptions(json)}.
 */
final class ConfigReader {

  private final Problems problems;
  private final String path;
  private final JsonObject json;
  private final Set<String> known = new LinkedHashSet<>();

  ConfigReader(Problems problems, String path, JsonObject json) {
    this.problems = problems;
    this.path = path;
    this.json = json;
  }

  Problems problems() {
    return problems;
  }

  String path() {
    return path;
  }

  /** The JSON path of a key of this object, as it appears in messages: {@code tcp[0].socket.tcpNoDelay}. */
  String at(String key) {
    return child(path, key);
  }

  /** The path of {@code key} in the object at {@code path} ({@code ""} for the top level). */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The path of element {@code index} of the array at {@code path}. */
  static String element(String path, int index) {
    return path + "[" + index + "]";
  }

  boolean has(String key) {
    known.add(key);
    return json.containsKey(key);
  }

  Object raw(String key) {
    known.add(key);
    return json.getValue(key);
  }

  int integer(String key, int def, int min, int max) {
    return integer(key, def, min, max, "must be an integer in " + min + ".." + max);
  }

  /** An integer in {@code min..max}; {@code rule} is the wording used when it is not. */
  int integer(String key, int def, int min, int max, String rule) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    if (isIntegral(value)) {
      long v = ((Number) value).longValue();
      if (v >= min && v <= max) {
        return (int) v;
      }
    }
    problems.invalid(at(key), rule, value);
    return def;
  }

  /** Like {@link #integer} but the key must be present. */
  int requiredInteger(String key, int min, int max) {
    if (!has(key)) {
      problems.add(at(key) + " is required (an integer in " + min + ".." + max + ")");
      return min;
    }
    return integer(key, min, min, max);
  }

  boolean bool(String key, boolean def) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    if (value instanceof Boolean b) {
      return b;
    }
    problems.invalid(at(key), "must be true or false", value);
    return def;
  }

  /** A string, or {@code def} when absent; {@code null} (with a problem) when of the wrong type. */
  String string(String key, String def) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    if (value instanceof String s) {
      return s;
    }
    problems.invalid(at(key), "must be a string", value);
    return null;
  }

  /** One of the names in {@code choices} (a map from the JSON spelling to the value). */
  <E> E choice(String key, E def, Map<String, E> choices) {
    if (!has(key)) {
      return def;
    }
    Object value = raw(key);
    E chosen = value instanceof String s ? choices.get(s) : null;
    if (chosen == null) {
      problems.invalid(at(key), "must be one of " + String.join(", ", choices.keySet()), value);
      return def;
    }
    return chosen;
  }

  <E> E requiredChoice(String key, Map<String, E> choices) {
    if (!has(key)) {
      problems.add(at(key) + " is required (one of " + String.join(", ", choices.keySet()) + ")");
      return null;
    }
    return choice(key, null, choices);
  }

  /** The nested object under {@code key}; an empty one when absent or (with a problem) of the wrong type. */
  ConfigReader object(String key) {
    JsonObject nested = new JsonObject();
    if (has(key)) {
      Object value = raw(key);
      if (value instanceof JsonObject o) {
        nested = o;
      } else {
        problems.invalid(at(key), "must be an object", value);
      }
    }
    return new ConfigReader(problems, at(key), nested);
  }

  /**
   * The objects of the array under {@code key}, or {@code null} when the key is absent (so the caller
   * can apply its default list). Elements that are not objects are reported and skipped.
   */
  List<ConfigReader> objects(String key) {
    if (!has(key)) {
      return null;
    }
    Object value = raw(key);
    List<ConfigReader> readers = new ArrayList<>();
    if (!(value instanceof JsonArray array)) {
      problems.invalid(at(key), "must be an array of objects", value);
      return readers;
    }
    for (int i = 0; i < array.size(); i++) {
      String elementPath = element(at(key), i);
      Object item = array.getValue(i);
      if (item instanceof JsonObject o) {
        readers.add(new ConfigReader(problems, elementPath, o));
      } else {
        problems.invalid(elementPath, "must be an object", item);
      }
    }
    return readers;
  }

  /** Reports every key of this object that no read asked for. Call after all reads. */
  void finish() {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        String nearest = nearest(key, known);
        String hint = nearest != null
          ? " (did you mean \"" + nearest + "\"?)"
          : " (known keys: " + String.join(", ", known) + ")";
        problems.add(at(key) + " is not a known key" + hint);
      }
    }
  }

  private static boolean isIntegral(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
  }

  /**
   * The known key {@code key} most likely stands for, or {@code null} when none is a likely typo. Case is
   * ignored. In order:
   * <ol>
   *   <li>a key that one of the two cuts short at its end ({@code prot}: protocol, {@code hostName}: host),
   *     then at its start ({@code tcpKeepAlive}: keepAlive, {@code linger}: soLinger): a key written short
   *     or long is a likelier slip than two letters swapped in a word that still reads like a key, so this
   *     wins over a key one edit away ({@code prot}: port). If several keys match the same way, no guess:
   *     the message then lists the known keys, which says more;</li>
   *   <li>else the key with the fewest edits for its length (longer words carry more typos), if at most a
   *     third of its letters are edits ({@code prot0col}, {@code nmae}, {@code recieveBufferSize}).</li>
   * </ol>
   */
  static String nearest(String key, Set<String> known) {
    String typed = key.toLowerCase(Locale.ROOT);
    List<String> cutAtEnd = new ArrayList<>();
    List<String> cutAtStart = new ArrayList<>();
    String best = null;
    int bestEdits = 0;
    int bestLength = 1;
    for (String candidate : known) {
      String c = candidate.toLowerCase(Locale.ROOT);
      if (c.equals(typed)) {
        return candidate;
      }
      boolean typedShorter = typed.length() < c.length();
      String shorter = typedShorter ? typed : c;
      String longer = typedShorter ? c : typed;
      if (shorter.length() >= 3 && longer.startsWith(shorter)) {
        cutAtEnd.add(candidate);
      } else if (shorter.length() >= 3 && longer.endsWith(shorter)) {
        cutAtStart.add(candidate);
      }
      int edits = distance(typed, c);
      if (best == null || (long) edits * bestLength < (long) bestEdits * longer.length()) {
        best = candidate;
        bestEdits = edits;
        bestLength = longer.length();
      }
    }
    for (List<String> cut : List.of(cutAtEnd, cutAtStart)) {
      if (!cut.isEmpty()) {
        return cut.size() == 1 ? cut.get(0) : null;
      }
    }
    return best != null && 3 * bestEdits <= bestLength ? best : null;
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit (typos swap letters). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  static <E extends Enum<E>> Map<String, E> spellings(Class<E> type, java.util.function.Function<E, String> name) {
    return java.util.Arrays.stream(type.getEnumConstants())
      .collect(Collectors.toMap(name, e -> e, (x, y) -> x, java.util.LinkedHashMap::new));
  }
}
