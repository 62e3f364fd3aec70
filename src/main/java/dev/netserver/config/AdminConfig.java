package dev.netserver.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's HTTP port ({@code admin}): metrics, health, readiness, stats and the listeners. Off when the
 * configuration has no {@code admin} object.
 *
 * @param host    the configured host; {@link #address} is what it resolved to
 * @param address the literal IP address bound
 * @param port    0..65535 (0: an ephemeral port, for tests)
 * @param token   the bearer token every request must carry, or {@code null} for none (loopback only)
 */
public record AdminConfig(String host, String address, int port, String token) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9323;

  /** RFC 6750's token68 characters: what fits in an {@code Authorization: Bearer} header as it is. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  public AdminConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535");
    }
    if (token == null && !Binding.isLoopback(address)) {
      throw new IllegalArgumentException("a token is required to bind anything but loopback");
    }
  }

  /** Whether requests must carry the token. */
  public boolean requiresToken() {
    return token != null;
  }

  /** Never the token itself: configurations get logged. */
  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", address=" + address + ", port=" + port + ", token=" + (token == null ? "none" : "set") + "]";
  }

  /** The admin settings, or {@code null} when the configuration has no {@code admin} object (admin off). */
  static AdminConfig read(ConfigReader parent) {
    if (!parent.has("admin")) {
      return null;
    }
    ConfigReader r = parent.object("admin");
    String host = r.string("host", DEFAULT_HOST);
    int port = r.integer("port", DEFAULT_PORT, 0, 65535);
    String token = null;
    if (r.has("token")) {
      // the value is never quoted in a message: a token in a log is a token leaked
      if (!(r.raw("token") instanceof String s) || !TOKEN.matcher(s).matches()) {
        r.problems().add(r.at("token") + " must be a non-empty string of letters, digits and -._~+/ (a bearer"
          + " token, e.g. from `openssl rand -hex 32`); its value is not shown");
      } else {
        token = s;
      }
    }
    r.finish();
    String address = Binding.singleAddress(r, host);
    if (address == null) {
      return null; // reported
    }
    if (token == null && !Binding.isLoopback(address)) {
      if (!r.has("token")) { // else its problem is reported already
        r.problems().add(r.at("host") + " is " + Problems.render(host) + ", not a loopback address: anyone who can"
          + " reach it could read the server's state, so admin.token is required (every request then needs"
          + " \"Authorization: Bearer <token>\")");
      }
      return null;
    }
    return new AdminConfig(host, address, port, token);
  }
}
