package dev.netserver.sockopts;

import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpSocketConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.config.UdpSocketConfig;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration key that may end up as a socket option: {@code tcp[].backlog} or a field of a
 * listener's {@code socket} object. The socket fields are the components of {@link TcpSocketConfig} and
 * {@link UdpSocketConfig}, whose names are the JSON keys, so a field added there is probed and listed
 * without a change here.
 *
 * @param section {@code tcp} or {@code udp}
 * @param path    inside one listener: {@code backlog}, {@code socket.receiveBufferSize}
 */
record ConfigKey(String section, String path) {

  private static final String SOCKET = "socket.";

  static final List<ConfigKey> TCP = keys("tcp", List.of("backlog"), TcpSocketConfig.class);
  static final List<ConfigKey> UDP = keys("udp", List.of(), UdpSocketConfig.class);

  /** {@code tcp[].socket.receiveBufferSize}: the key of every listener. */
  String generic() {
    return section + "[]." + path;
  }

  /** {@code tcp[0].socket.receiveBufferSize}: the key of one listener. */
  String at(int index) {
    return section + "[" + index + "]." + path;
  }

  /** The value this key has in a listener's configuration (defaults filled in). */
  Object valueIn(TcpListenerConfig listener) {
    return path.startsWith(SOCKET) ? component(listener.socket(), field()) : component(listener, path);
  }

  Object valueIn(UdpListenerConfig listener) {
    return path.startsWith(SOCKET) ? component(listener.socket(), field()) : component(listener, path);
  }

  /** Sets this key to {@code value} in one listener's JSON object. */
  void putInto(JsonObject listener, Object value) {
    if (path.startsWith(SOCKET)) {
      JsonObject socket = listener.getJsonObject("socket");
      if (socket == null) {
        socket = new JsonObject();
        listener.put("socket", socket);
      }
      socket.put(field(), value);
    } else {
      listener.put(path, value);
    }
  }

  private String field() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static List<ConfigKey> keys(String section, List<String> listenerKeys, Class<? extends Record> socket) {
    List<ConfigKey> keys = new ArrayList<>();
    for (String key : listenerKeys) {
      keys.add(new ConfigKey(section, key));
    }
    for (RecordComponent c : socket.getRecordComponents()) {
      keys.add(new ConfigKey(section, SOCKET + c.getName()));
    }
    return List.copyOf(keys);
  }

  private static Object component(Record record, String name) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + name + " of " + record.getClass().getSimpleName(), e);
        }
      }
    }
    throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no " + name);
  }
}
