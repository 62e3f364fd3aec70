package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static dev.netserver.config.Configs.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: valid configurations, mutated at random (keys dropped, values of the wrong type or out of range,
 * unknown keys, bad networks, values wrapped in objects and arrays), are each either valid or rejected with a
 * {@link ConfigException} whose every problem names a JSON path; reading never throws anything else.
 */
@DisplayName("Randomly mutated configurations")
class ConfigMutationTest {

  /** A problem line: the source, then a JSON path ({@code tcp[0].limits.exempt[1]}, {@code stats}), then a space. */
  private static final Pattern NAMES_A_PATH =
    Pattern.compile("conf/config\\.json: [A-Za-z][A-Za-z0-9]*(\\[\\d+])?(\\.[A-Za-z][A-Za-z0-9]*(\\[\\d+])?)* .+");

  /** Valid configurations that between them use every guard key (and the keys around them). */
  private static final List<JsonObject> VALID = List.of(
    json("{'node': {'name': 'n1'}, 'transport': 'auto', 'tcp': [{'name': 'g', 'protocol': 'greeting', 'host': '127.0.0.1',"
      + " 'port': 0, 'maxLineBytes': 100, 'lineTimeoutSeconds': 5, 'allow': ['127.0.0.0/8', '::1/128'],"
      + " 'deny': ['127.9.0.0/16'], 'texts': {'welcome': 'Hi {client}', 'refused': 'Busy.'},"
      + " 'limits': {'maxConnections': 10, 'maxConnectionsPerSource': 2, 'connectionsPerSecond': 100,"
      + " 'connectionsPerSecondPerSource': 10, 'burst': 5, 'exempt': [], 'maxBufferedBytes': 100000}}],"
      + " 'udp': [{'name': 'u', 'protocol': 'echo', 'host': '::1', 'port': 0, 'blockedSourcePorts': '0-1023',"
      + " 'limits': {'datagramsPerSecondPerSource': 10, 'datagramsPerSecond': 100, 'burst': 20, 'exempt': ['10.0.0.0/8']}}],"
      + " 'stats': {'publishIntervalMs': 1000}, 'shutdown': {'graceSeconds': 1}}"),
    json("{'tcp': [{'name': 'e', 'protocol': 'echo', 'host': '127.0.0.1', 'port': 0, 'deny': ['2001:db8::/32'],"
      + " 'texts': {'refused': 'No.'}, 'limits': {'maxConnections': 0, 'exempt': ['127.0.0.1']}},"
      + " {'name': 'g', 'protocol': 'greeting', 'host': '127.0.0.1', 'port': 0}], 'udp': []}"),
    json("{'tcp': [], 'udp': [{'name': 'u', 'protocol': 'echo', 'host': '127.0.0.1', 'port': 0,"
      + " 'limits': {'datagramsPerSecondPerSource': 0, 'datagramsPerSecond': 0}}]}"));

  /** Replacement values: every JSON type, numbers at and past the edges, good and bad networks. */
  private static final List<Object> VALUES = List.of(
    "", "x", "echo", "greeting", "127.0.0.1", "10.0.0.0/8", "10.0.0.0/33", "::1/129", "10.0.0.1/8",
    "gateway.example.com", "fe80::1%lo", "{count}", true, false, -1, 0, 1, 1.5, 65536, 10_000_001, Integer.MAX_VALUE,
    Long.MAX_VALUE, Long.MIN_VALUE, 1e300, new JsonObject(), new JsonArray(), new JsonArray().add("10.0.0.0/33"),
    new JsonArray().add("::/0").add(5), new JsonArray().add(new JsonObject()), json("{'burst': 0}"));

  /** Values a {@code host} may take without a name lookup: the test stays fast and offline. */
  private static final List<Object> HOSTS = List.of("127.0.0.1", "::1", "", "0.0.0.0");

  private enum Kind { DROP, REPLACE, UNKNOWN_KEY, WRAP_IN_OBJECT, WRAP_IN_ARRAY }

  /** One change: what is done, where (an index into the tree's places), which value, and a key for new entries. */
  private record Mutation(Kind kind, int where, int value, String key) {

    static Mutation random(SplittableRandom random) {
      StringBuilder key = new StringBuilder();
      for (int n = random.nextInt(1, 13); n > 0; n--) {
        key.append((char) random.nextInt('a', 'z' + 1));
      }
      return new Mutation(Kind.values()[random.nextInt(Kind.values().length)], random.nextInt(10_001),
        random.nextInt(VALUES.size()), key.toString());
    }
  }

  @Test
  @DisplayName("each of 1000 is valid, or rejected with a ConfigException whose every problem names a JSON path, and both come up")
  void eitherValidOrRejectedWithPaths() {
    int[] outcomes = new int[2];
    // one seed per try, named in every message: a failure is rerun by calling eitherValidOrRejectedWithPaths(seed)
    for (long seed = 1; seed <= 1000; seed++) {
      outcomes[eitherValidOrRejectedWithPaths(seed) ? 1 : 0]++;
    }
    // a test that only ever saw one outcome would prove little
    assertThat(outcomes).as("configurations rejected and valid").doesNotContain(0);
  }

  /** One try: one to four mutations of one base configuration; whether the result was valid. */
  private static boolean eitherValidOrRejectedWithPaths(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    JsonObject config = VALID.get(random.nextInt(VALID.size())).copy();
    List<Mutation> mutations = new ArrayList<>();
    for (int n = random.nextInt(1, 5); n > 0; n--) {
      mutations.add(Mutation.random(random));
    }
    mutations.forEach(m -> apply(m, config));
    try {
      NetserverConfig.read(Configs.SOURCE, config);
      return true;
    } catch (ConfigException e) {
      assertThat(e.problems()).as("seed %d, %s: problems of %s", seed, mutations, config).isNotEmpty()
        .allSatisfy(p -> assertThat(p).as("seed %d, %s: a problem of %s", seed, mutations, config).matches(NAMES_A_PATH));
      return false;
    } catch (RuntimeException e) {
      throw new AssertionError("seed " + seed + ", " + mutations + ": " + config + " threw " + e, e);
    }
  }

  @Test
  @DisplayName("the base configurations are valid")
  void basesAreValid() {
    VALID.forEach(Configs::read);
  }

  /** A place in the tree: a key of an object or an element of an array. */
  private record Slot(Object container, Object key) {

    Object get() {
      return container instanceof JsonObject o ? o.getValue((String) key) : ((JsonArray) container).getValue((Integer) key);
    }

    void set(Object value) {
      if (container instanceof JsonObject o) {
        o.put((String) key, "host".equals(key) && !HOSTS.contains(value) && value instanceof String ? "::1" : value);
      } else {
        ((JsonArray) container).set((Integer) key, value);
      }
    }

    void remove() {
      if (container instanceof JsonObject o) {
        o.remove((String) key);
      } else {
        ((JsonArray) container).remove((int) (Integer) key);
      }
    }
  }

  private static void apply(Mutation m, JsonObject config) {
    List<Slot> slots = new ArrayList<>();
    List<JsonObject> objects = new ArrayList<>();
    collect(config, slots, objects);
    Object value = VALUES.get(m.value()) instanceof JsonObject o ? o.copy()
      : VALUES.get(m.value()) instanceof JsonArray a ? a.copy() : VALUES.get(m.value());
    if (m.kind() == Kind.UNKNOWN_KEY || slots.isEmpty()) {
      objects.get(m.where() % objects.size()).put(m.key(), value);
      return;
    }
    Slot slot = slots.get(m.where() % slots.size());
    switch (m.kind()) {
      case DROP -> slot.remove();
      case REPLACE -> slot.set(value);
      case WRAP_IN_OBJECT -> slot.set(new JsonObject().put(m.key(), slot.get()));
      case WRAP_IN_ARRAY -> slot.set(new JsonArray().add(slot.get()));
      default -> throw new IllegalStateException(m.kind().toString());
    }
  }

  private static void collect(Object node, List<Slot> slots, List<JsonObject> objects) {
    if (node instanceof JsonObject o) {
      objects.add(o);
      for (String key : o.fieldNames()) {
        slots.add(new Slot(o, key));
        collect(o.getValue(key), slots, objects);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        slots.add(new Slot(a, i));
        collect(a.getValue(i), slots, objects);
      }
    }
  }
}
