package dev.netserver.config;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The event bus bridge for programs in other languages ({@code bridge}): Vert.x's TCP event bus bridge, which
 * lets a client subscribe to {@code netserver.stats} and send {@code netserver.stats.query}, and nothing else. Off
 * when the configuration has no {@code bridge} object.
 *
 * <p>The bridge protocol has no authentication, and the library bounds neither the frames a client sends nor what
 * it queues for a client that does not read: so it binds loopback only, and a local user is trusted.
 *
 * @param host    the configured host; {@link #address} is what it resolved to
 * @param address the literal loopback address bound
 * @param port    0..65535 (0: an ephemeral port, for tests)
 */
public record BridgeConfig(String host, String address, int port) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  public BridgeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535");
    }
    if (!Binding.isLoopback(address)) {
      throw new IllegalArgumentException("the bridge binds loopback only (it has no authentication)");
    }
  }

  /** The bridge settings, or {@code null} when the configuration has no {@code bridge} object (bridge off). */
  static BridgeConfig read(ConfigReader parent) {
    if (!parent.has("bridge")) {
      return null;
    }
    ConfigReader r = parent.object("bridge");
    if (!(parent.raw("bridge") instanceof JsonObject)) {
      return null; // reported; its missing port would only repeat it
    }
    String host = r.string("host", DEFAULT_HOST);
    int port = r.requiredInteger("port", 0, 65535);
    r.finish();
    String address = Binding.singleAddress(r, host);
    if (address == null) {
      return null; // reported
    }
    if (!Binding.isLoopback(address)) {
      r.problems().invalid(r.at("host"), "must be a loopback address (127.0.0.1, ::1 or localhost): the event bus"
        + " bridge has no authentication; to reach it from another machine, tunnel to it (ssh -L)", host);
      return null;
    }
    return new BridgeConfig(host, address, port);
  }
}
