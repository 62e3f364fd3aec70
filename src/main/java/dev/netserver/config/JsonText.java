package dev.netserver.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the bytes of a configuration file into the Vert.x {@link JsonObject} that {@link NetserverConfig#read}
 * validates, through Jackson's streaming parser, so that every problem comes with its line and column taken
 * from the parser, never from the text of an exception. Unlike {@code new JsonObject(text)} it reports every
 * duplicate key (Jackson and Vert.x keep the last one silently) and says which limit a too-large value breaks.
 *
 * <p>The limits, far above anything a configuration needs and low enough that no file can make the parser
 * work hard or the messages run long: {@value #MAX_DEPTH} levels of nesting (the configuration itself uses 4:
 * {@code tcp[0].socket.tcpNoDelay}), numbers of {@value #MAX_NUMBER_LENGTH} digits (the largest setting has
 * 10), keys of {@value #MAX_KEY_LENGTH} characters (the longest known key has 18; Jackson counts a key's
 * UTF-8 bytes, which are its characters for the ASCII of every known key) and strings of
 * {@value #MAX_STRING_LENGTH} characters (greeting texts are the longest strings). The file's own size is
 * limited where it is read, by {@link ConfigLoader}.
 *
 * <p>Comments ({@code //} and {@code /* *}{@code /}) are accepted, as Vert.x's own JSON decoder (which read
 * the configuration before) accepts them.
 */
final class JsonText {

  static final int MAX_DEPTH = 16;
  static final int MAX_NUMBER_LENGTH = 100;
  static final int MAX_KEY_LENGTH = 64;
  static final int MAX_STRING_LENGTH = 65_536;

  private static final JsonFactory FACTORY = JsonFactory.builder()
    .streamReadConstraints(new Limits())
    .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
    .build();

  private JsonText() {
  }

  /**
   * The JSON object {@code text} holds. Duplicate keys are added to {@code problems} (the first value stands);
   * anything that stops parsing (bad syntax, a broken limit, no object at the top level) is added too, and
   * then thrown with the problems found before it.
   *
   * @throws ConfigException when the text is not one JSON object within the limits
   */
  static JsonObject parse(byte[] text, Problems problems) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      try {
        return parseDocument(parser, problems);
      } catch (JsonProcessingException e) {
        throw problems.fatal(describe(parser, e));
      }
    } catch (IOException e) {
      // reading a byte array fails only through a JsonProcessingException, handled above
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject parseDocument(JsonParser parser, Problems problems) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw problems.fatal("is empty (write {} to run with every default)");
    }
    if (first != JsonToken.START_OBJECT) {
      throw problems.fatal("must hold one JSON object ({ ... }) at the top level");
    }
    JsonObject root = readObject(parser, "", problems);
    boolean more;
    try {
      more = parser.nextToken() != null;
    } catch (JsonProcessingException e) {
      more = true; // what follows is not even JSON; that it is there at all is what matters
    }
    if (more) {
      // where the parser began the token after the object, whether it made a token of it or not
      throw problems.fatal("must hold one JSON object ({ ... }), but more follows it at "
        + position(parser.currentTokenLocation()));
    }
    return root;
  }

  /** The object whose {@code START_OBJECT} is the current token, at {@code path}. */
  private static JsonObject readObject(JsonParser parser, String path, Problems problems) throws IOException {
    JsonObject object = new JsonObject();
    Map<String, Integer> seen = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonLocation keyAt = parser.currentTokenLocation();
      String keyPath = ConfigReader.child(path, key);
      parser.nextToken();
      Object value = readValue(parser, keyPath, problems);
      int times = seen.merge(key, 1, Integer::sum);
      if (times == 1) {
        object.put(key, value);
      } else {
        problems.add(keyPath + " appears " + (times == 2 ? "twice" : times + " times") + " (" + ordinal(times)
          + " at " + position(keyAt) + ")");
      }
    }
    return object;
  }

  private static JsonArray readArray(JsonParser parser, String path, Problems problems) throws IOException {
    JsonArray array = new JsonArray();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser, ConfigReader.element(path, array.size()), problems));
    }
    return array;
  }

  /** The value whose first token is the current one; the same Java types as Vert.x's own decoder gives. */
  private static Object readValue(JsonParser parser, String path, Problems problems) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> readObject(parser, path, problems);
      case START_ARRAY -> readArray(parser, path, problems);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IllegalStateException("a JSON text parser gave " + parser.currentToken());
    };
  }

  /** The line saying why parsing stopped, with where it stopped. */
  private static String describe(JsonParser parser, JsonProcessingException e) {
    if (e instanceof LimitExceeded limit) {
      // the limits know nothing of the parser: the position is where the parser stands, just past the culprit
      return limit.rule + " at line " + parser.currentLocation().getLineNr();
    }
    JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
    return "is not valid JSON at " + position(at) + ": " + reason(parser, e);
  }

  private static String reason(JsonParser parser, JsonProcessingException e) {
    JsonStreamContext open = parser.getParsingContext();
    JsonLocation openedAt = open.startLocation(parser.currentLocation().contentReference());
    if (e instanceof JsonEOFException eof) {
      if (eof.getTokenBeingDecoded() == JsonToken.VALUE_STRING) {
        return "the text ends inside a string (opened at " + position(parser.currentTokenLocation()) + ")";
      }
      String what = open.inArray() ? "an array" : "an object";
      return "the text ends inside " + what + " (opened at " + position(openedAt) + ")";
    }
    // Jackson's reasons are good, but a wrong closing bracket names where its object or array began with
    // Jackson's own notation of a location: "[Source: REDACTED (...); line: 1, column: 7]"
    return e.getOriginalMessage().replace(openedAt.toString(), position(openedAt));
  }

  private static String position(JsonLocation at) {
    return "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** "second", "third", then "4th", "21st"...: a key written more than three times is rare. */
  private static String ordinal(int n) {
    if (n == 2 || n == 3) {
      return n == 2 ? "second" : "third";
    }
    int lastTwo = n % 100;
    int last = n % 10;
    String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
    return n + suffix;
  }

  /** A broken limit, with the words that say which one. */
  private static final class LimitExceeded extends StreamConstraintsException {

    private final String rule;

    LimitExceeded(String rule) {
      super(rule);
      this.rule = rule;
    }
  }

  /**
   * Jackson's limits, each throwing a {@link LimitExceeded} that says in the user's words which limit broke
   * (Jackson's own exception is one type for all of them, told apart only by its message).
   */
  private static final class Limits extends StreamReadConstraints {

    Limits() {
      super(MAX_DEPTH, -1L, MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_KEY_LENGTH, -1L);
    }

    @Override
    public void validateNestingDepth(int depth) throws StreamConstraintsException {
      if (depth > MAX_DEPTH) {
        throw new LimitExceeded("nests deeper than " + MAX_DEPTH + " levels");
      }
    }

    @Override
    public void validateIntegerLength(int length) throws StreamConstraintsException {
      checkNumber(length);
    }

    @Override
    public void validateFPLength(int length) throws StreamConstraintsException {
      checkNumber(length);
    }

    private static void checkNumber(int length) throws StreamConstraintsException {
      if (length > MAX_NUMBER_LENGTH) {
        throw new LimitExceeded("has a number longer than " + MAX_NUMBER_LENGTH + " digits");
      }
    }

    @Override
    public void validateNameLength(int length) throws StreamConstraintsException {
      if (length > MAX_KEY_LENGTH) {
        throw new LimitExceeded("has a key longer than " + MAX_KEY_LENGTH + " characters");
      }
    }

    @Override
    public void validateStringLength(int length) throws StreamConstraintsException {
      if (length > MAX_STRING_LENGTH) {
        throw new LimitExceeded("has a string longer than " + MAX_STRING_LENGTH + " characters");
      }
    }
  }
}
