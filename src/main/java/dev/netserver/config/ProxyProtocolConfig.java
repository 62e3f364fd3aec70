package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * A TCP listener's {@code proxyProtocol}: whether each connection starts with a PROXY protocol header (v1 or
 * v2, as HAProxy and most load balancers send) naming the real client, which then is the client everywhere.
 *
 * @param enabled         expect the header on every connection
 * @param trustedSources  the load balancers: a connection from any other peer address is closed before its
 *                        header is believed (anyone could write one); required when enabled
 * @param timeoutSeconds  a connection that has not sent a whole header within this time is closed
 */
public record ProxyProtocolConfig(boolean enabled, List<Cidr> trustedSources, int timeoutSeconds) {

  public static final int DEFAULT_TIMEOUT_SECONDS = 5;
  public static final int MAX_TIMEOUT_SECONDS = 3600;
  public static final ProxyProtocolConfig OFF = new ProxyProtocolConfig(false, List.of(), DEFAULT_TIMEOUT_SECONDS);

  public ProxyProtocolConfig {
    trustedSources = List.copyOf(Objects.requireNonNull(trustedSources, "trustedSources"));
    if (enabled && trustedSources.isEmpty()) {
      throw new IllegalArgumentException("proxyProtocol.trustedSources is required when enabled");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException("proxyProtocol.timeoutSeconds out of range");
    }
  }

  /** Enabled, trusting {@code trustedSources}, with the default timeout. */
  public static ProxyProtocolConfig trusting(List<Cidr> trustedSources) {
    return new ProxyProtocolConfig(true, trustedSources, DEFAULT_TIMEOUT_SECONDS);
  }

  public ProxyProtocolConfig withTimeoutSeconds(int seconds) {
    return new ProxyProtocolConfig(enabled, trustedSources, seconds);
  }

  /**
   * Puts Vert.x's keys for this on a listener's {@code NetServerOptions} JSON: Vert.x decodes the header (with
   * Netty's codec), closes a connection that sends none in time, and reports the address from the header as the
   * socket's {@code remoteAddress()}. The trust check is netserver's ({@code tcp.ProxyGate}): Vert.x has none.
   */
  public void putVertxOptions(JsonObject json) {
    if (enabled) {
      json.put("useProxyProtocol", true).put("proxyProtocolTimeout", timeoutSeconds).put("proxyProtocolTimeoutUnit", "SECONDS");
    }
  }

  /** Reads a listener's {@code proxyProtocol} object ({@link #OFF} when absent or invalid). */
  static ProxyProtocolConfig read(ConfigReader listener) {
    ConfigReader r = listener.object("proxyProtocol");
    boolean enabled = r.bool("enabled", false);
    List<Cidr> trusted = Cidr.list(r, "trustedSources", List.of());
    int timeout = r.integer("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS,
      "must be an integer in 1.." + MAX_TIMEOUT_SECONDS);
    r.finish();
    if (!enabled) {
      return OFF;
    }
    if (!r.has("trustedSources") || r.raw("trustedSources") instanceof JsonArray a && a.isEmpty()) {
      r.problems().add(r.at("trustedSources") + " is required when proxyProtocol is enabled: list the load balancers'"
        + " addresses (e.g. [\"10.0.0.5\", \"10.0.1.0/24\"]); from any other peer a header could name any client");
      return OFF;
    }
    return trusted.isEmpty() ? OFF : new ProxyProtocolConfig(true, trusted, timeout);
  }
}
