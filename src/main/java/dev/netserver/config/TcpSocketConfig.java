package dev.netserver.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Socket options of a TCP listener, applied to the listening socket and to every accepted one.
 * Sizes and {@code trafficClass} use -1 for "leave the operating system's default".
 */
public record TcpSocketConfig(
  boolean reuseAddress,
  boolean reusePort,
  boolean tcpNoDelay,
  boolean keepAlive,
  int soLinger,
  int receiveBufferSize,
  int sendBufferSize,
  int trafficClass,
  boolean tcpFastOpen,
  boolean tcpCork,
  boolean tcpQuickAck) {

  public static final TcpSocketConfig DEFAULT =
    new TcpSocketConfig(true, false, true, false, -1, -1, -1, -1, false, false, false);

  public TcpSocketConfig {
    if (soLinger < -1 || receiveBufferSize < -1 || receiveBufferSize == 0 || sendBufferSize < -1
      || sendBufferSize == 0 || trafficClass < -1 || trafficClass > 255) {
      throw new IllegalArgumentException("socket option out of range");
    }
  }

  static TcpSocketConfig read(ConfigReader r) {
    TcpSocketConfig d = DEFAULT;
    TcpSocketConfig c = new TcpSocketConfig(
      r.bool("reuseAddress", d.reuseAddress),
      r.bool("reusePort", d.reusePort),
      r.bool("tcpNoDelay", d.tcpNoDelay),
      r.bool("keepAlive", d.keepAlive),
      r.integer("soLinger", d.soLinger, -1, 65535, "must be -1 (off) or seconds in 0..65535"),
      bufferSize(r, "receiveBufferSize"),
      bufferSize(r, "sendBufferSize"),
      r.integer("trafficClass", d.trafficClass, -1, 255, "must be -1 (system default) or an integer in 0..255"),
      r.bool("tcpFastOpen", d.tcpFastOpen),
      r.bool("tcpCork", d.tcpCork),
      r.bool("tcpQuickAck", d.tcpQuickAck));
    r.finish();
    return c;
  }

  static int bufferSize(ConfigReader r, String key) {
    int size = r.integer(key, -1, -1, Integer.MAX_VALUE, "must be -1 (system default) or a size in bytes in 1..2147483647");
    if (size == 0) {
      r.problems().invalid(r.at(key), "must be -1 (system default) or a size in bytes in 1..2147483647", 0);
      return -1;
    }
    return size;
  }

  /** The options that only a native transport (epoll, io_uring) can set, by config key, when switched on. */
  public List<String> nativeOnlyOptionsInUse() {
    List<String> keys = new ArrayList<>();
    if (reusePort) {
      keys.add("reusePort");
    }
    if (tcpFastOpen) {
      keys.add("tcpFastOpen");
    }
    if (tcpCork) {
      keys.add("tcpCork");
    }
    if (tcpQuickAck) {
      keys.add("tcpQuickAck");
    }
    return keys;
  }

  /**
   * These options under Vert.x's own JSON keys (those of {@code NetServerOptions}), the one place where a
   * config key and Vert.x's differ ({@code keepAlive} is Vert.x's {@code tcpKeepAlive}).
   */
  public JsonObject vertxJson() {
    return new JsonObject()
      .put("reuseAddress", reuseAddress)
      .put("reusePort", reusePort)
      .put("tcpNoDelay", tcpNoDelay)
      .put("tcpKeepAlive", keepAlive)
      .put("soLinger", soLinger)
      .put("receiveBufferSize", receiveBufferSize)
      .put("sendBufferSize", sendBufferSize)
      .put("trafficClass", trafficClass)
      .put("tcpFastOpen", tcpFastOpen)
      .put("tcpCork", tcpCork)
      .put("tcpQuickAck", tcpQuickAck);
  }
}
