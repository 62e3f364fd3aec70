package dev.netserver.config;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up, starting full. Kept
 * as one number, the time at which the bucket will be full again (the GCRA form of the same algorithm), so
 * a bucket per source costs one {@code long} and a take is a few arithmetic operations, with no drift from
 * adding up fractions of tokens.
 *
 * <p>Time is passed in, in nanoseconds from any origin ({@link System#nanoTime()} in the server, a counter
 * in tests); only differences are used, so it may wrap. Not thread-safe: a bucket belongs to one event loop,
 * or its owner synchronises.
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Nanoseconds that earn one token. */
  private final long interval;
  /** How far {@link #fullAt} may lie ahead of now: the time that earns {@code burst} tokens. */
  private final long capacity;
  /** When the bucket is full again; at or before now means full. */
  private long fullAt;

  /**
   * @param ratePerSecond 1..1,000,000,000 tokens earned per second
   * @param burst         1.. tokens the bucket holds when full: how many can be taken at once after a pause
   * @param nowNanos      the current time; the bucket starts full
   */
  public TokenBucket(int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond < 1 || ratePerSecond > NANOS_PER_SECOND || burst < 1) {
      throw new IllegalArgumentException("ratePerSecond must be in 1..1000000000 and burst at least 1, were "
        + ratePerSecond + " and " + burst);
    }
    this.interval = NANOS_PER_SECOND / ratePerSecond;
    this.capacity = interval * burst;
    this.fullAt = nowNanos;
  }

  /** Takes one token if there is one; {@code false} means the caller is over the rate. */
  public boolean tryTake(long nowNanos) {
    // a full bucket earns nothing more: count from now, not from a fullAt in the past
    long start = nowNanos - fullAt > 0 ? nowNanos : fullAt;
    long next = start + interval;
    if (next - nowNanos > capacity) {
      return false;
    }
    fullAt = next;
    return true;
  }

  /** Whether the bucket is full at {@code nowNanos}: an owner may then forget it (idle per-source buckets). */
  public boolean isFull(long nowNanos) {
    return nowNanos - fullAt >= 0;
  }
}
