package dev.netserver.tcp;

import dev.netserver.config.TcpGuard;
import dev.netserver.stats.Counter;
import dev.netserver.config.TcpLimits;

/**
 * Why a TCP listener refused or cut off a client: one reason per {@code refused*} counter
 * ({@link TcpStats#refused}), and the kind of the rate-limited WARN line that reports it.
 */
enum Refusal {
  /** Not admitted by {@code allow}/{@code deny}. */
  DENIED(Counter.REFUSED_DENIED),
  /** {@code limits.maxConnections} open on the listener. */
  MAX_CONNECTIONS(Counter.REFUSED_MAX_CONNECTIONS),
  /** {@code limits.maxConnectionsPerSource} open from the client's source. */
  PER_SOURCE(Counter.REFUSED_PER_SOURCE),
  /** {@code limits.connectionsPerSecond} or {@code connectionsPerSecondPerSource} out of tokens. */
  RATE(Counter.REFUSED_RATE),
  /** Greeting: the client's unfinished line would take the listener over {@code limits.maxBufferedBytes}. */
  BUSY(Counter.REFUSED_BUSY),
  /** Greeting: the line did not arrive within {@code lineTimeoutSeconds} of the prompt. */
  LINE_TIMEOUT(Counter.REFUSED_LINE_TIMEOUT);

  private final Counter counter;

  Refusal(Counter counter) {
    this.counter = counter;
  }

  /**
   * The reason as the access log names it ({@code refused:<key>}): its counter's wire name without
   * {@code refused}, as the metrics' {@code reason} label has it ({@code refusedPerSource}: {@code perSource}).
   */
  String key() {
    String name = counter.jsonName().substring("refused".length());
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /** What the log line says after "refused a connection from ip:port: ". */
  String why(TcpGuard guard) {
    TcpLimits limits = guard.limits();
    return switch (this) {
      case DENIED -> "its address is not admitted by allow/deny";
      case MAX_CONNECTIONS -> "limits.maxConnections (" + limits.maxConnections() + ") are open";
      case PER_SOURCE -> "limits.maxConnectionsPerSource (" + limits.maxConnectionsPerSource() + ") are open from its source";
      case RATE -> "over the connection rate (limits.connectionsPerSecond " + limits.connectionsPerSecond()
        + ", connectionsPerSecondPerSource " + limits.connectionsPerSecondPerSource() + ")";
      case BUSY -> "its unfinished line would take the listener over limits.maxBufferedBytes (" + limits.maxBufferedBytes()
        + "); sent \"Server busy\"";
      case LINE_TIMEOUT -> "no complete line within lineTimeoutSeconds (" + guard.lineTimeoutSeconds() + ") of the prompt";
    };
  }
}
