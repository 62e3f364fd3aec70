package dev.netserver.tcp;

import dev.netserver.stats.Counters;
import dev.netserver.stats.ListenerKind;

/**
 * Counters of one TCP listener instance. Plain fields: they are only touched on the instance's event
 * loop (its connections and its stats timer share that thread).
 */
public final class TcpStats {

  long connectionsAccepted;
  long connectionsActive;
  long connectionsClosed;
  long linesAnswered;
  long linesTooLong;
  long timedOut;
  long refusedMaxConnections;
  long refusedPerSource;
  long refusedRate;
  long refusedDenied;
  long refusedBusy;
  long refusedLineTimeout;
  long acceptFailures;
  long tlsHandshakeFailures;
  long tlsReloadFailures;
  long proxyUntrusted;
  long proxyInvalid;
  long errors;
  long bytesIn;
  long bytesOut;

  /** Counts a client refused, or cut off, for {@code reason}. */
  void refused(Refusal reason) {
    switch (reason) {
      case DENIED -> refusedDenied++;
      case MAX_CONNECTIONS -> refusedMaxConnections++;
      case PER_SOURCE -> refusedPerSource++;
      case RATE -> refusedRate++;
      case BUSY -> refusedBusy++;
      case LINE_TIMEOUT -> refusedLineTimeout++;
    }
  }

  /** The counters as they are now, for a stats snapshot. */
  public Counters counters() {
    return Counters.of(ListenerKind.TCP, counter -> switch (counter) {
      case CONNECTIONS_ACCEPTED -> connectionsAccepted;
      case CONNECTIONS_ACTIVE -> connectionsActive;
      case CONNECTIONS_CLOSED -> connectionsClosed;
      case LINES_ANSWERED -> linesAnswered;
      case LINES_TOO_LONG -> linesTooLong;
      case TIMED_OUT -> timedOut;
      case REFUSED_MAX_CONNECTIONS -> refusedMaxConnections;
      case REFUSED_PER_SOURCE -> refusedPerSource;
      case REFUSED_RATE -> refusedRate;
      case REFUSED_DENIED -> refusedDenied;
      case REFUSED_BUSY -> refusedBusy;
      case REFUSED_LINE_TIMEOUT -> refusedLineTimeout;
      case ACCEPT_FAILURES -> acceptFailures;
      case TLS_HANDSHAKE_FAILURES -> tlsHandshakeFailures;
      case TLS_RELOAD_FAILURES -> tlsReloadFailures;
      case PROXY_UNTRUSTED -> proxyUntrusted;
      case PROXY_INVALID -> proxyInvalid;
      case ERRORS -> errors;
      case BYTES_IN -> bytesIn;
      case BYTES_OUT -> bytesOut;
      // asked only for the TCP counters: one added to Counter without a case here fails the first publish
      default -> throw new IllegalArgumentException(counter + " is not a TCP counter");
    });
  }
}
