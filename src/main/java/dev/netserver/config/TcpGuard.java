package dev.netserver.config;

import java.util.Objects;

/**
 * What a TCP listener does to protect itself (issue 11): its {@code limits}, its {@code allow}/{@code deny}
 * lists and, for greeting listeners, the deadline of a line. The refusal text is in {@link GreetingTexts#refused}.
 *
 * @param limits             connection counts and rates, buffered bytes
 * @param access             which addresses are admitted
 * @param lineTimeoutSeconds greeting: the whole line must arrive within this time of the prompt; 0 = no deadline
 */
public record TcpGuard(TcpLimits limits, AccessList access, int lineTimeoutSeconds) {

  public static final int DEFAULT_LINE_TIMEOUT_SECONDS = 30;
  public static final TcpGuard DEFAULT = new TcpGuard(TcpLimits.DEFAULT, AccessList.OPEN, DEFAULT_LINE_TIMEOUT_SECONDS);

  public TcpGuard {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(access, "access");
    if (lineTimeoutSeconds < 0) {
      throw new IllegalArgumentException("lineTimeoutSeconds out of range");
    }
  }

  public TcpGuard withLimits(TcpLimits l) {
    return new TcpGuard(l, access, lineTimeoutSeconds);
  }

  public TcpGuard withAccess(AccessList a) {
    return new TcpGuard(limits, a, lineTimeoutSeconds);
  }

  public TcpGuard withLineTimeoutSeconds(int seconds) {
    return new TcpGuard(limits, access, seconds);
  }

  /** Reads the guard's keys of a listener object; {@code greeting}-only keys are the caller's to police. */
  static TcpGuard read(ConfigReader r, int maxLineBytes) {
    ConfigReader l = r.object("limits");
    TcpLimits limits = TcpLimits.read(l);
    AccessList access = AccessList.read(r);
    int lineTimeout = r.integer("lineTimeoutSeconds", DEFAULT_LINE_TIMEOUT_SECONDS, 0, 86_400,
      "must be an integer in 0..86400 (0 = no deadline)");
    if (limits.maxBufferedBytes() > 0 && limits.maxBufferedBytes() < maxLineBytes && l.has("maxBufferedBytes")) {
      r.problems().invalid(l.at("maxBufferedBytes"), "must be at least maxLineBytes (" + maxLineBytes
        + "), or no client could send a line of the longest length allowed", limits.maxBufferedBytes());
    }
    return new TcpGuard(limits, access, lineTimeout);
  }
}
