package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.netserver.config.Configs.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: valid configurations, mutated at random (keys dropped, values of the wrong type or out of range,
 * unknown keys, bad networks, values wrapped in objects and arrays), are each either valid or rejected with a
 * {@link ConfigException} whose every problem names a JSON path; reading never throws anything else.
 */
@Label("Randomly mutated configurations")
class ConfigMutationProperties {

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

  /** One change, as numbers, so jqwik can shrink a failing case to the smallest. */
  record Mutation(Kind kind, int where, int value, String key) {
  }

  @Property(tries = 1000)
  void eitherValidOrRejectedWithPaths(@ForAll("configs") int base, @ForAll("mutations") List<Mutation> mutations) {
    JsonObject config = VALID.get(base).copy();
    mutations.forEach(m -> apply(m, config));
    try {
      NetserverConfig.read(Configs.SOURCE, config);
      Statistics.label("outcome").collect("valid");
    } catch (ConfigException e) {
      Statistics.label("outcome").collect("rejected");
      assertThat(e.problems()).as("problems of %s", config).isNotEmpty()
        .allSatisfy(p -> assertThat(p).matches(NAMES_A_PATH));
    }
    // a property that only ever saw one outcome would prove little: both must come up in every run
    Statistics.label("outcome").coverage(c -> {
      c.check("valid").count(n -> n > 0);
      c.check("rejected").count(n -> n > 0);
    });
  }

  @Property(tries = 1)
  @Label("the base configurations are valid")
  void basesAreValid() {
    VALID.forEach(Configs::read);
  }

  @Provide
  Arbitrary<Integer> configs() {
    return Arbitraries.integers().between(0, VALID.size() - 1);
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(
      Arbitraries.of(Kind.class),
      Arbitraries.integers().between(0, 10_000),
      Arbitraries.integers().between(0, VALUES.size() - 1),
      Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)).as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
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
