package dev.netserver.tcp;

import dev.netserver.stats.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The access log: logger {@code netserver.access}, one INFO line per TCP connection when it ends and one per
 * connection refused before it was served. This class is the one place that names an outcome and writes the
 * line; the fields are SLF4J key/value pairs (so logback's {@code JsonEncoder} makes each a JSON field and a
 * pattern shows them with {@code %kvp}), and the message is the same fields as {@code key=value} text for a
 * plain {@code %msg} pattern. docs/ACCESS-LOG.md lists the fields and outcomes.
 *
 * <p>Off by default (the logger is at OFF in logback.xml). A connection asks {@link #enabled()} once, when it
 * opens; with the logger off nothing else here runs for it.
 */
final class AccessLog {

  static final String LOGGER = "netserver.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /** A greeting answered the client's line. */
  static final String ANSWERED = "answered";
  /** A greeting's line was longer than {@code maxLineBytes}. */
  static final String TOO_LONG = "tooLong";
  /** Closed after {@code idleTimeoutSeconds} without a byte either way. */
  static final String TIMEOUT = "timeout";
  /** A greeting's line did not arrive within {@code lineTimeoutSeconds}. */
  static final String LINE_TIMEOUT = "lineTimeout";
  /** The client reset the connection (ECONNRESET, or EPIPE on a write to a client that is gone). */
  static final String RESET = "reset";
  /** Any other exception, from the socket or the protocol. */
  static final String ERROR = "error";
  /**
   * None of the above: an echo or custom-protocol connection that ended (the client closed, or the handler,
   * or the server at its shutdown), a greeting client that closed before a line.
   */
  static final String CLOSED = "closed";
  /** Refused before it was served: the prefix of {@code refused:<reason>}. */
  static final String REFUSED = "refused:";

  /** Refused reasons besides {@link Refusal}'s: accepted while the listener stops. */
  static final String STOPPING = "stopping";
  /** The PROXY header came from a source not in {@code proxyProtocol.trustedSources}: its counter's name. */
  static final String PROXY_UNTRUSTED = Counter.PROXY_UNTRUSTED.jsonName();
  /** Vert.x closed it for its PROXY header (malformed, or a datagram transport): its counter's name. */
  static final String PROXY_INVALID = Counter.PROXY_INVALID.jsonName();
  /** The TLS handshake failed. */
  static final String TLS_HANDSHAKE = "tlsHandshake";

  private static final String[] REFUSALS = new String[Refusal.values().length];

  static {
    for (Refusal r : Refusal.values()) {
      REFUSALS[r.ordinal()] = r == Refusal.LINE_TIMEOUT ? LINE_TIMEOUT : REFUSED + r.key();
    }
  }

  private AccessLog() {
  }

  /** Whether access lines are written: asked once per connection. */
  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** The outcome of a connection the listener cut off for {@code reason}. */
  static String outcome(Refusal reason) {
    return REFUSALS[reason.ordinal()];
  }

  /** The outcome of a connection that failed with {@code cause}: the client's reset, or an error. */
  static String outcome(Throwable cause) {
    if (cause instanceof IOException) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("Connection reset") || message.contains("Broken pipe")) {
        return RESET;
      }
    }
    return ERROR;
  }

  /**
   * The line of a connection that ended.
   *
   * @param openedAt {@link System#nanoTime()} when it opened
   * @param serverName the TLS server name (SNI) the client asked for, or null
   */
  static void connection(String listener, SocketAddress client, long openedAt, long bytesIn, long bytesOut,
                         String outcome, String serverName) {
    write(LOG, listener, GreetingProtocol.clientText(client), System.nanoTime() - openedAt, bytesIn, bytesOut, outcome,
      serverName);
  }

  /**
   * The line of a connection refused before it was served; {@code client} null when the engine did not say who
   * it was (a TLS handshake or a PROXY header that failed inside Vert.x).
   *
   * @param reason the {@code refused:} reason: {@link Refusal#key()}, {@code proxyUntrusted}, ...
   */
  static void refused(String listener, SocketAddress client, String reason, long bytesOut) {
    if (enabled()) {
      write(LOG, listener, client == null ? "-" : GreetingProtocol.clientText(client), 0, 0, bytesOut, REFUSED + reason, null);
    }
  }

  /** Writes a line to {@code log} ({@code netserver.access}; a test's own logger context's). */
  static void write(Logger log, String listener, String client, long nanos, long bytesIn, long bytesOut, String outcome,
                    String serverName) {
    String duration = millis(nanos);
    String clientText = escape(client);
    LoggingEventBuilder line = log.atInfo()
      .addKeyValue("listener", listener)
      .addKeyValue("client", clientText)
      .addKeyValue("durationMs", duration)
      .addKeyValue("bytesIn", bytesIn)
      .addKeyValue("bytesOut", bytesOut)
      .addKeyValue("outcome", outcome);
    StringBuilder text = new StringBuilder(128).append("listener=").append(quoted(listener))
      .append(" client=").append(quoted(clientText))
      .append(" durationMs=").append(duration)
      .append(" bytesIn=").append(bytesIn)
      .append(" bytesOut=").append(bytesOut)
      .append(" outcome=").append(outcome);
    if (serverName != null) {
      String sni = escape(serverName);
      line.addKeyValue("sni", sni);
      text.append(" sni=").append(quoted(sni));
    }
    line.log(text.toString());
  }

  /** Milliseconds with three decimals: {@code 0.412}. */
  static String millis(long nanos) {
    long micros = TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos));
    long fraction = micros % 1000;
    return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
  }

  /**
   * A value as it may go into a line, the one place anything a client can influence is escaped: a control
   * character (C0, DEL, C1) becomes {@code \n}, {@code \r}, {@code \t} or {@code \xNN}, and a backslash or a
   * double quote gets a backslash, so a value can neither break the line (in a file or a syslog datagram) nor
   * its quoting. Other characters, UTF-8 included, stay as they are.
   */
  static String escape(String value) {
    int i = 0;
    int n = value.length();
    while (i < n && !needsEscape(value.charAt(i))) {
      i++;
    }
    if (i == n) {
      return value;
    }
    StringBuilder out = new StringBuilder(n + 16).append(value, 0, i);
    for (; i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> {
          if (needsEscape(c)) {
            out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '\\' || c == '"' || (c >= 0x7f && c <= 0x9f);
  }

  /** An escaped value, in double quotes if it is empty or holds a space or an {@code =}. */
  private static String quoted(String escaped) {
    return escaped.isEmpty() || escaped.indexOf(' ') >= 0 || escaped.indexOf('=') >= 0 ? '"' + escaped + '"' : escaped;
  }
}
