package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Builds configurations compactly and reads them. JSON is written with single quotes ({@code "{'port': 1}"})
 * so that it fits on one line in a test; no test text needs an apostrophe.
 */
final class Configs {

  /** The source name every problem line starts with. */
  static final String SOURCE = "conf/config.json";

  private Configs() {
  }

  /** A JSON object from single-quoted JSON text. */
  static JsonObject json(String singleQuoted) {
    return new JsonObject(singleQuoted.replace('\'', '"'));
  }

  /** A valid echo listener on 127.0.0.1 port 0 named {@code t}, with {@code overrides} merged in. */
  static JsonObject tcpListener(String overrides) {
    return json("{'name': 't', 'protocol': 'echo', 'host': '127.0.0.1', 'port': 0}").mergeIn(json(overrides));
  }

  /** A valid UDP echo listener on 127.0.0.1 port 0 named {@code u}, with {@code overrides} merged in. */
  static JsonObject udpListener(String overrides) {
    return json("{'name': 'u', 'protocol': 'echo', 'host': '127.0.0.1', 'port': 0}").mergeIn(json(overrides));
  }

  /** A configuration with exactly these TCP listeners and no UDP listener. */
  static JsonObject withTcp(JsonObject... listeners) {
    return new JsonObject().put("tcp", new JsonArray(List.of((Object[]) listeners))).put("udp", new JsonArray());
  }

  /** A configuration with exactly these UDP listeners and no TCP listener. */
  static JsonObject withUdp(JsonObject... listeners) {
    return new JsonObject().put("tcp", new JsonArray()).put("udp", new JsonArray(List.of((Object[]) listeners)));
  }

  /** Reads a configuration that must be valid. */
  static NetserverConfig read(JsonObject config) {
    try {
      return NetserverConfig.read(SOURCE, config);
    } catch (ConfigException e) {
      throw new AssertionError("expected " + config + " to read without problems, but: " + e.getMessage(), e);
    }
  }

  /** The problem lines of a configuration that must be invalid. */
  static List<String> problems(JsonObject config) {
    return failure(config).problems();
  }

  static ConfigException failure(JsonObject config) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> NetserverConfig.read(SOURCE, config));
    if (e == null) {
      throw new AssertionError("expected configuration problems, but " + config + " reads fine");
    }
    return e;
  }

  /** The problem lines of a configuration holding one TCP listener with {@code overrides}. */
  static List<String> tcpProblems(String overrides) {
    return problems(withTcp(tcpListener(overrides)));
  }

  /** The problem lines of a configuration holding one UDP listener with {@code overrides}. */
  static List<String> udpProblems(String overrides) {
    return problems(withUdp(udpListener(overrides)));
  }

  /**
   * An integer setting with an inclusive range: {@code config} builds a configuration holding a value at
   * {@code path}, {@code value} gets it back out of the records.
   */
  record IntRule(String path, long min, long max, String rule, LongFunction<JsonObject> config,
                 Function<NetserverConfig, Integer> value) {

    /** The line reporting {@code bad} at this path. */
    String line(long bad) {
      return SOURCE + ": " + path + " " + rule + " (was " + bad + ")";
    }

    @Override
    public String toString() {
      return path;
    }
  }
}
