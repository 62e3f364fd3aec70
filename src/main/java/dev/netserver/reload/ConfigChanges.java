package dev.netserver.reload;

import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a reload would change: the new configuration compared with the running one, listener by listener (by
 * name), and the keys outside the listeners that only a restart applies. Pure: nothing here touches a socket.
 *
 * <p>The rule, in one place: a listener whose only changes are among {@link #TCP_IN_PLACE} (TCP) or
 * {@link #UDP_IN_PLACE} (UDP) changes in place; any other change of a listener (address, port, engine, TLS,
 * socket options, backlog, instances, protocol, PROXY protocol, bandwidth, {@code maxDatagramBytes}, which sizes
 * the receive buffers) rebinds it. Every setting a later issue adds to a listener
 * rebinds it until it is added to that set, which is the safe default.
 *
 * @param unchanged listeners left alone
 * @param inPlace   listener name to the keys that change in place
 * @param rebind    listener name to the keys that need a new bind
 * @param removed   listeners that drain
 * @param added     listeners that start
 * @param refused   one problem per key that only a restart applies; a reload with any is refused
 */
public record ConfigChanges(List<String> unchanged, Map<String, List<String>> inPlace, Map<String, List<String>> rebind,
                            List<String> removed, List<String> added, List<String> refused) {

  /** The TCP listener keys the running instances switch to without a new bind: texts, limits, access lists, timeouts. */
  public static final Set<String> TCP_IN_PLACE = Set.of("texts", "guard", "idleTimeoutSeconds", "maxLineBytes");
  /** The UDP listener keys the running instances switch to without a new bind: rate limits and refused source ports. */
  public static final Set<String> UDP_IN_PLACE = Set.of("limits", "blockedSourcePorts");

  /** The listeners: what a reload applies. Every other part of the configuration only a restart applies. */
  private static final Set<String> RELOADABLE = Set.of("tcp", "udp");
  /** The parts whose key in the file is not their component's name. */
  private static final Map<String, String> FILE_KEYS = Map.of("nodeName", "node.name");

  /**
   * Compares {@code next} with {@code running}.
   *
   * @param source how refusals name the configuration (the file)
   */
  public static ConfigChanges compare(String source, NetserverConfig running, NetserverConfig next) {
    List<String> refused = new ArrayList<>();
    for (String component : changedComponents(running, next)) {
      if (!RELOADABLE.contains(component)) {
        String key = FILE_KEYS.getOrDefault(component, component);
        refused.add(source + ": " + key + " changed, which only a restart applies; the reload changes nothing"
          + " (restart netserver, or put " + key + " back)");
      }
    }
    Map<String, Object> before = listeners(running);
    Map<String, Object> after = listeners(next);
    List<String> unchanged = new ArrayList<>();
    Map<String, List<String>> inPlace = new LinkedHashMap<>();
    Map<String, List<String>> rebind = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    before.forEach((name, old) -> {
      Object now = after.get(name);
      if (now == null) {
        removed.add(name);
      } else if (old.getClass() != now.getClass()) {
        rebind.put(name, List.of("kind"));
      } else {
        List<String> keys = changedComponents(old, now);
        if (keys.isEmpty()) {
          unchanged.add(name);
        } else {
          Set<String> inPlaceKeys = old instanceof TcpListenerConfig ? TCP_IN_PLACE : UDP_IN_PLACE;
          if (inPlaceKeys.containsAll(keys)) {
            inPlace.put(name, keys);
          } else {
            rebind.put(name, keys.stream().filter(k -> !inPlaceKeys.contains(k)).toList());
          }
        }
      }
    });
    after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(added::add);
    return new ConfigChanges(List.copyOf(unchanged), Map.copyOf(inPlace), Map.copyOf(rebind), List.copyOf(removed),
      List.copyOf(added), List.copyOf(refused));
  }

  /** Whether applying these changes would touch nothing. */
  public boolean none() {
    return inPlace.isEmpty() && rebind.isEmpty() && removed.isEmpty() && added.isEmpty();
  }

  /**
   * The INFO line's text: {@code greeter changed in place (texts); echo2 started; old-thing drained}; names in
   * configuration order within each kind of change.
   */
  public String summary() {
    List<String> parts = new ArrayList<>();
    inPlace.entrySet().stream().sorted(Map.Entry.comparingByKey())
      .forEach(e -> parts.add(e.getKey() + " changed in place (" + String.join(", ", e.getValue()) + ")"));
    rebind.entrySet().stream().sorted(Map.Entry.comparingByKey())
      .forEach(e -> parts.add(e.getKey() + " rebound (" + String.join(", ", e.getValue()) + ")"));
    added.forEach(name -> parts.add(name + " started"));
    removed.forEach(name -> parts.add(name + " drained"));
    return parts.isEmpty() ? "nothing changed" : String.join("; ", parts);
  }

  private static Map<String, Object> listeners(NetserverConfig config) {
    Map<String, Object> byName = new LinkedHashMap<>();
    config.tcp().forEach(t -> byName.put(t.name(), t));
    config.udp().forEach(u -> byName.put(u.name(), u));
    return byName;
  }

  /** The record components whose values differ, in declaration order (the records compare by value). */
  private static List<String> changedComponents(Object a, Object b) {
    List<String> changed = new ArrayList<>();
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      if (!Objects.equals(value(c, a), value(c, b))) {
        changed.add(c.getName());
      }
    }
    return changed;
  }

  private static Object value(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }
}
