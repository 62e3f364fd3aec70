package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("JsonText: the configuration file's JSON")
class JsonTextTest {

  private static final String FILE = "conf/x.json";

  /** Parses text that must parse, and returns the object with the problems it recorded. */
  private record Parsed(JsonObject json, List<String> problems) {
  }

  private static Parsed parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Parsed parse(byte[] text) {
    Problems problems = new Problems(FILE);
    JsonObject json = JsonText.parse(text, problems);
    ConfigException recorded = catchThrowableOfType(ConfigException.class, problems::throwIfAny);
    return new Parsed(json, recorded == null ? List.of() : recorded.problems());
  }

  /** The problems of text that must not parse. */
  private static List<String> failure(String text) {
    return failure(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> failure(byte[] text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> JsonText.parse(text, new Problems(FILE)));
    assertThat(e).as("a ConfigException").isNotNull();
    return e.problems();
  }

  // --- what it gives

  @Test
  @DisplayName("gives the same object, with values of the same Java types, as Vert.x's own decoder")
  void sameAsVertx() {
    String text = "{\"i\": 7, \"l\": 12345678901, \"big\": 123456789012345678901234567890, \"neg\": -3, \"d\": 1.5,"
      + " \"e\": 1e3, \"s\": \"caf\\u00e9 \\\"q\\\"\", \"t\": true, \"f\": false, \"n\": null,"
      + " \"a\": [1, [2, []], {}, \"x\"], \"o\": {\"k\": {\"v\": [null]}}}";
    JsonObject expected = new JsonObject(text);
    JsonObject parsed = parse(text).json();
    assertThat(parsed).isEqualTo(expected);
    assertThat(parsed.fieldNames()).containsExactlyElementsOf(expected.fieldNames());
    for (String key : expected.fieldNames()) {
      Object value = expected.getValue(key);
      assertThat(parsed.getValue(key)).as(key).isEqualTo(value);
      if (value != null) {
        assertThat(parsed.getValue(key)).as(key).isExactlyInstanceOf(value.getClass());
      }
    }
    assertThat(parsed.getValue("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(parsed.getJsonArray("a").getJsonArray(1)).isEqualTo(new JsonArray().add(2).add(new JsonArray()));
  }

  @Test
  @DisplayName("accepts // and /* */ comments, as Vert.x's decoder does")
  void comments() {
    assertThat(parse("// netserver\n{ /* no TCP */ \"tcp\": [] // none\n}").json()).isEqualTo(new JsonObject().put("tcp", new JsonArray()));
  }

  @Test
  @DisplayName("accepts a UTF-8 byte order mark, and decodes UTF-8 text")
  void byteOrderMark() {
    byte[] text = "\uFEFF{\"node\": {\"name\": \"n\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
    assertThat(parse(text).json().getJsonObject("node").getString("name")).isEqualTo("n\u00e9");
  }

  // --- duplicate keys

  @Test
  @DisplayName("a top-level key written twice is reported with the line and column of the second, and the first value stands")
  void duplicateTopLevel() {
    Parsed parsed = parse("{\n  \"tcp\": [],\n  \"udp\": [],\n  \"tcp\": [1]\n}");
    assertThat(parsed.problems()).containsExactly(FILE + ": tcp appears twice (second at line 4, column 3)");
    assertThat(parsed.json().getJsonArray("tcp")).isEmpty();
  }

  @Test
  @DisplayName("a key written twice in a listener is reported with its JSON path")
  void duplicateInListener() {
    assertThat(parse("""
      {
        "tcp": [
          { "name": "a", "port": 1 },
          { "name": "b", "port": 2,
            "port": 3 }
        ]
      }""").problems()).containsExactly(FILE + ": tcp[1].port appears twice (second at line 5, column 7)");
  }

  @Test
  @DisplayName("every duplicate is reported, not only the first, and a third time says so")
  void everyDuplicate() {
    assertThat(parse("""
      {
        "stats": { "publishIntervalMs": 1, "publishIntervalMs": 2, "publishIntervalMs": 3 },
        "node": { "name": "a", "name": "b" },
        "node": {}
      }""").problems()).containsExactly(
      FILE + ": stats.publishIntervalMs appears twice (second at line 2, column 38)",
      FILE + ": stats.publishIntervalMs appears 3 times (third at line 2, column 62)",
      FILE + ": node.name appears twice (second at line 3, column 26)",
      FILE + ": node appears twice (second at line 4, column 3)");
  }

  @Test
  @DisplayName("a key written more often is counted on: 4th, 5th")
  void manyTimes() {
    assertThat(parse("{\"a\": 1, \"a\": 2, \"a\": 3, \"a\": 4, \"a\": 5}").problems()).containsExactly(
      FILE + ": a appears twice (second at line 1, column 10)",
      FILE + ": a appears 3 times (third at line 1, column 18)",
      FILE + ": a appears 4 times (4th at line 1, column 26)",
      FILE + ": a appears 5 times (5th at line 1, column 34)");
  }

  @Test
  @DisplayName("the same key in two objects, or differing in case, is no duplicate")
  void notDuplicates() {
    assertThat(parse("{\"tcp\": [{\"port\": 1}, {\"port\": 2}], \"stats\": {\"port\": 3}, \"Port\": 4, \"port\": 5}").problems()).isEmpty();
  }

  @Test
  @DisplayName("duplicates found before a syntax error are reported with it")
  void duplicatesBeforeSyntaxError() {
    assertThat(failure("{\"udp\": [], \"udp\": [],\n \"tcp\": [}")).containsExactly(
      FILE + ": udp appears twice (second at line 1, column 13)",
      FILE + ": is not valid JSON at line 2, column 10: Unexpected close marker '}': expected ']' (for Array starting at line 2, column 9)");
  }

  // --- limits

  /** {@code depth} nested objects, each on its own line: {"a": {"a": ... {} ... }}. */
  private static String nested(int depth) {
    return "{\"a\":\n".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  @Test
  @DisplayName("nesting is limited to 16 levels, and the message gives the limit and the line")
  void nestingLimit() {
    assertThat(parse(nested(JsonText.MAX_DEPTH)).problems()).isEmpty();
    assertThat(failure(nested(JsonText.MAX_DEPTH + 1))).containsExactly(FILE + ": nests deeper than 16 levels at line 17");
    assertThat(failure("{\"a\": [[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]}")).containsExactly(FILE + ": nests deeper than 16 levels at line 1");
  }

  @Test
  @DisplayName("numbers are limited to 100 digits, integers and fractions alike, and the message gives the limit and the line")
  void numberLimit() {
    String longest = "9".repeat(JsonText.MAX_NUMBER_LENGTH);
    assertThat(parse("{\"n\": -" + longest + "}").json().getValue("n")).isEqualTo(new BigInteger("-" + longest));
    assertThat(failure("{\n\"n\":\n" + longest + "9}")).containsExactly(FILE + ": has a number longer than 100 digits at line 3");
    assertThat(failure("{\"a\": 1,\n\"n\": 0." + longest + "}")).containsExactly(FILE + ": has a number longer than 100 digits at line 2");
  }

  @Test
  @DisplayName("keys are limited to 64 characters, and the message gives the limit and the line")
  void keyLimit() {
    String longest = "k".repeat(JsonText.MAX_KEY_LENGTH);
    assertThat(parse("{\"" + longest + "\": 1}").json().getValue(longest)).isEqualTo(1);
    assertThat(failure("{\"a\": 1,\n\n\"" + longest + "k\": 1}")).containsExactly(FILE + ": has a key longer than 64 characters at line 3");
  }

  @Test
  @DisplayName("strings are limited to 65536 characters, and the message gives the limit and the line")
  void stringLimit() {
    String longest = "s".repeat(JsonText.MAX_STRING_LENGTH);
    assertThat(parse("{\"s\": \"" + longest + "\"}").json().getString("s")).hasSize(65_536);
    assertThat(failure("{\"a\": 1,\n\"s\": \"" + longest + "s\"}")).containsExactly(FILE + ": has a string longer than 65536 characters at line 2");
  }

  // --- syntax

  @Test
  @DisplayName("a syntax error is reported with the line and column where the parser stopped, in Jackson's words")
  void syntaxError() {
    assertThat(failure("{\n  \"tcp\": [\n    { \"name\": \"ab\",, \"port\": 1 }\n  ]\n}")).containsExactly(FILE
      + ": is not valid JSON at line 3, column 20: Unexpected character (',' (code 44)): was expecting double-quote to start field name");
  }

  @Test
  @DisplayName("a wrong closing bracket says where its array began, without Jackson's notation of a location")
  void mismatchedBracket() {
    assertThat(failure("{\"a\": [1, 2}")).singleElement().asString()
      .isEqualTo(FILE + ": is not valid JSON at line 1, column 12: Unexpected close marker '}': expected ']' (for Array starting at line 1, column 7)")
      .doesNotContain("Source", "REDACTED");
  }

  @Test
  @DisplayName("a text that ends inside an object, an array or a string says where that began")
  void unclosed() {
    assertThat(failure("{\n  \"tcp\": [],\n  \"stats\": {\n")).containsExactly(
      FILE + ": is not valid JSON at line 4, column 1: the text ends inside an object (opened at line 3, column 12)");
    assertThat(failure("{\n  \"tcp\": [\n  {}")).containsExactly(
      FILE + ": is not valid JSON at line 3, column 5: the text ends inside an array (opened at line 2, column 10)");
    assertThat(failure("{\n  \"node\": {\"name\": \"abc")).containsExactly(
      FILE + ": is not valid JSON at line 2, column 24: the text ends inside a string (opened at line 2, column 20)");
  }

  @Test
  @DisplayName("bytes that are not UTF-8 are reported with their position")
  void notUtf8() {
    byte[] text = {'{', '\n', '"', 'a', '"', ':', ' ', '"', (byte) 0xff, '"', '}'};
    assertThat(failure(text)).singleElement().asString().startsWith(FILE + ": is not valid JSON at line 2, column ").contains("0xff");
  }

  @Test
  @DisplayName("an empty text, or one of only comments, is reported as empty with how to ask for every default")
  void empty() {
    assertThat(failure("")).containsExactly(FILE + ": is empty (write {} to run with every default)");
    assertThat(failure(" \n // nothing yet\n")).containsExactly(FILE + ": is empty (write {} to run with every default)");
  }

  @Test
  @DisplayName("anything but an object at the top level is refused")
  void topLevelNotObject() {
    for (String text : List.of("[]", "5", "\"tcp\"", "null")) {
      assertThat(failure(text)).as(text).containsExactly(FILE + ": must hold one JSON object ({ ... }) at the top level");
    }
  }

  @Test
  @DisplayName("anything after the object, valid JSON or not, is reported where it starts")
  void trailing() {
    for (String text : List.of("{}\n{}", "{}\n]", "{}\nx", "{}\n5")) {
      assertThat(failure(text)).as(text).containsExactly(FILE + ": must hold one JSON object ({ ... }), but more follows it at line 2, column 1");
    }
    assertThat(failure("{} // the end\n/* really */ [")).containsExactly(
      FILE + ": must hold one JSON object ({ ... }), but more follows it at line 2, column 14");
    assertThat(parse("{} // the end\n/* really */\n").problems()).isEmpty();
  }
}
