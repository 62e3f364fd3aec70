package dev.netserver.tcp;

import dev.netserver.config.AccessList;
import dev.netserver.config.Cidr;
import dev.netserver.config.TcpLimits;
import dev.netserver.config.TokenBucket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Who a TCP listener admits, decided when a client connects and before anything is sent to it: its
 * {@code allow}/{@code deny} lists and its connection {@code limits}, over all its instances (one guard per
 * listener, made by the first instance; thread-safe, as the instances run on different event loops).
 *
 * <p>The order of the checks: the access list; then, for a source that is not exempt, its open connections;
 * the listener's open connections; the source's rate; the listener's rate. The counts come first because
 * a refusal by count can be undone, a token cannot; and a source's own rate comes before the listener's, so a
 * source flooding past its rate is refused without spending the tokens the other clients need.
 *
 * <p>At the defaults (no access list, no per-source limit, no rate) an admission is one compare-and-set on
 * the open count and its release one decrement: nothing else is looked at, not even the client's address.
 *
 * <p>Per-source state is bounded. A source has an entry while it has a connection open (so at most
 * {@code maxConnections} entries, or as many as there are open connections), and after that only while its
 * {@code connectionsPerSecondPerSource} bucket is refilling: an entry with no connection and a full bucket is
 * dropped at once on the last release, or by {@link #sweep} (each second) once its bucket is full, at most
 * {@code burst / rate} seconds later. Of these idle entries at most {@link #MAX_IDLE_SOURCES} are kept: past
 * that the least recently seen are forgotten early, which only gives those sources a full bucket again.
 */
final class ConnectionGuard {

  /** Idle per-source entries (no connection open, bucket still refilling) kept at most: about 10 MB of them. */
  static final int MAX_IDLE_SOURCES = 65_536;

  /** What {@link #admit} decided: a refusal, or a slot held until {@link #release}. */
  static class Admission {

    private final Refusal refusal;

    private Admission(Refusal refusal) {
      this.refusal = refusal;
    }

    boolean admitted() {
      return refusal == null;
    }

    /** Why the client was refused; null if it was admitted. */
    Refusal refusal() {
      return refusal;
    }
  }

  /** A source's entry, and the slot of each of its admitted connections. */
  private static final class Source extends Admission {
    final Cidr key;
    /** Null when there is no per-source rate. */
    final TokenBucket bucket;
    int open;

    Source(Cidr key, TokenBucket bucket) {
      super(null);
      this.key = key;
      this.bucket = bucket;
    }

    boolean forgettable(long now) {
      return open == 0 && (bucket == null || bucket.isFull(now));
    }
  }

  /** The slot of a client counted in the listener's totals only (exempt, or no per-source limit set). */
  private static final Admission LISTENER_ONLY = new Admission(null);
  private static final Admission[] REFUSED = new Admission[Refusal.values().length];

  static {
    for (Refusal r : Refusal.values()) {
      REFUSED[r.ordinal()] = new Admission(r);
    }
  }

  private final TcpLimits limits;
  /** Null when it admits everyone. */
  private final AccessList access;
  private final boolean perSource;
  /** Null when off; guarded by itself. */
  private final TokenBucket rate;
  private final AtomicInteger open = new AtomicInteger();
  /** Access order: the least recently seen first, the first forgotten when there are too many idle ones. */
  private final LinkedHashMap<Cidr, Source> sources = new LinkedHashMap<>(16, 0.75f, true);
  /** Entries of {@link #sources} with no connection open; guarded by {@code sources}. */
  private int idle;
  private final int maxIdleSources;
  private final LongSupplier nanoClock;

  ConnectionGuard(TcpLimits limits, AccessList access) {
    this(limits, access, MAX_IDLE_SOURCES, System::nanoTime);
  }

  /** @param nanoClock {@link System#nanoTime()}, or a test's clock */
  ConnectionGuard(TcpLimits limits, AccessList access, int maxIdleSources, LongSupplier nanoClock) {
    this.limits = limits;
    this.access = access.isOpen() ? null : access;
    this.perSource = limits.maxConnectionsPerSource() > 0 || limits.connectionsPerSecondPerSource() > 0;
    this.rate = limits.connectionsPerSecond() > 0
      ? new TokenBucket(limits.connectionsPerSecond(), limits.burstFor(limits.connectionsPerSecond()), nanoClock.getAsLong())
      : null;
    this.maxIdleSources = maxIdleSources;
    this.nanoClock = nanoClock;
  }

  /**
   * Admits a client, which then holds a slot until its connection closes and {@link #release} gives it back,
   * or says why not. A client whose address is not an IP address is refused if there is an access list, and
   * otherwise counted in the listener's totals only.
   *
   * @param client the client's address as the listener should judge it (behind a PROXY header, the real client)
   */
  Admission admit(SocketAddress client) {
    if (access == null && !perSource) {
      return admitToListener(null);
    }
    InetAddress ip = client instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (access != null && (ip == null || !access.admits(ip))) {
      return REFUSED[Refusal.DENIED.ordinal()];
    }
    if (perSource && ip != null && !limits.isExempt(ip)) {
      return admitFromSource(Cidr.sourceKey(ip));
    }
    return admitToListener(null);
  }

  /** Gives back the slot of an admitted client whose connection closed. Once per admission. */
  void release(Admission admission) {
    if (admission instanceof Source source) {
      synchronized (sources) {
        if (--source.open == 0) {
          idle++;
          forgetIfDone(source, nanoClock.getAsLong());
          if (idle > maxIdleSources) {
            forgetIdle(null);
          }
        }
      }
    }
    if (limits.maxConnections() > 0) {
      open.decrementAndGet();
    }
  }

  /** Drops the idle entries whose buckets are full again; called about once a second. */
  void sweep() {
    if (limits.connectionsPerSecondPerSource() == 0) {
      // without a per-source rate an entry is dropped on its last release
      return;
    }
    long now = nanoClock.getAsLong();
    synchronized (sources) {
      for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
        if (it.next().forgettable(now)) {
          it.remove();
          idle--;
        }
      }
    }
  }

  /** Whether {@link #sweep} has anything to do. */
  boolean needsSweep() {
    return limits.connectionsPerSecondPerSource() > 0;
  }

  /** The connections open now, as counted for {@code maxConnections} (0 when that limit is off). */
  int open() {
    return open.get();
  }

  /** The per-source entries held now. */
  int sources() {
    synchronized (sources) {
      return sources.size();
    }
  }

  /** The listener-wide count and rate; {@code source}'s slot (or the listener-only one) if they admit it. */
  private Admission admitToListener(Source source) {
    if (limits.maxConnections() > 0 && !reserveConnection()) {
      return REFUSED[Refusal.MAX_CONNECTIONS.ordinal()];
    }
    if (source != null && source.bucket != null && !source.bucket.tryTake(nanoClock.getAsLong())) {
      unreserveConnection();
      return REFUSED[Refusal.RATE.ordinal()];
    }
    if (rate != null) {
      boolean taken;
      synchronized (rate) {
        taken = rate.tryTake(nanoClock.getAsLong());
      }
      if (!taken) {
        // a source's own token stays spent: trying during an overload costs it too
        unreserveConnection();
        return REFUSED[Refusal.RATE.ordinal()];
      }
    }
    return source != null ? source : LISTENER_ONLY;
  }

  private Admission admitFromSource(Cidr key) {
    synchronized (sources) {
      Source source = sources.get(key);
      int maxPerSource = limits.maxConnectionsPerSource();
      if (source != null && maxPerSource > 0 && source.open >= maxPerSource) {
        return REFUSED[Refusal.PER_SOURCE.ordinal()];
      }
      if (source == null) {
        int ratePerSource = limits.connectionsPerSecondPerSource();
        source = new Source(key, ratePerSource > 0
          ? new TokenBucket(ratePerSource, limits.burstFor(ratePerSource), nanoClock.getAsLong()) : null);
        sources.put(key, source);
        idle++;
      }
      Admission admission = admitToListener(source);
      if (admission == source) {
        if (source.open++ == 0) {
          idle--;
        }
      } else {
        forgetIfDone(source, nanoClock.getAsLong());
      }
      if (idle > maxIdleSources) {
        forgetIdle(source);
      }
      return admission;
    }
  }

  /** Drops {@code source}'s entry if nothing needs it; holding the lock. */
  private void forgetIfDone(Source source, long now) {
    if (source.forgettable(now) && sources.remove(source.key) != null) {
      idle--;
    }
  }

  /**
   * Forgets the least recently seen idle entries, down to three quarters of the cap (so the walk is paid once
   * per quarter of the cap), never {@code keep}; holding the lock.
   */
  private void forgetIdle(Source keep) {
    int target = maxIdleSources - maxIdleSources / 4;
    for (Iterator<Source> it = sources.values().iterator(); it.hasNext() && idle > target; ) {
      Source s = it.next();
      if (s.open == 0 && s != keep) {
        it.remove();
        idle--;
      }
    }
  }

  private boolean reserveConnection() {
    int max = limits.maxConnections();
    while (true) {
      int now = open.get();
      if (now >= max) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  private void unreserveConnection() {
    if (limits.maxConnections() > 0) {
      open.decrementAndGet();
    }
  }
}
