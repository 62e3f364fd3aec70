package dev.netserver.udp;

import dev.netserver.config.Cidr;
import dev.netserver.config.TokenBucket;
import dev.netserver.config.UdpLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@code limits} of one UDP listener: a token bucket per source ({@link Cidr#sourceKey}) and one over all
 * sources, shared by all the listener's instances (each on its own event loop), so thread-safe.
 *
 * <p>Per-source state stays bounded: a bucket that is full again tells no more than a new one would, so
 * {@link #sweep} forgets it; and at most {@code maxSources} buckets exist. When that many sources are
 * tracked, every further new source shares one overflow bucket at the per-source rate until sweeps make
 * room: a flood from spoofed sources gets no more than one source's rate, at the price of throttling new
 * honest sources together while it lasts; the tracked sources keep their own buckets.
 *
 * <p>Each instance judges through its own {@link Gate}, which remembers each address's source key (or that it
 * is exempt), so an exempt source (loopback, by default) costs one hash lookup and no clock read.
 */
final class DatagramRates {

  private static final Logger LOG = LoggerFactory.getLogger(DatagramRates.class);

  /** Buckets kept at most; about 100 bytes each. */
  static final int MAX_SOURCES = 65_536;
  /** Addresses a gate remembers before it starts over. */
  private static final int MAX_CACHED_ADDRESSES = 4096;
  /** A gate's mark for an exempt address: compared by identity, never a real key (no source is a /0). */
  private static final Cidr EXEMPT = Cidr.parse("::/0");

  enum Verdict { ACCEPT, PER_SOURCE, OVERALL }

  private final String listener;
  private final UdpLimits limits;
  private final LongSupplier clock;
  private final int maxSources;
  private final int perSourceRate;
  /** Null when the overall rate is off; guarded by itself. */
  private final TokenBucket overall;
  private final Map<Cidr, TokenBucket> sources = new ConcurrentHashMap<>();
  /** Shared by the new sources that find the table full; guarded by itself. */
  private final TokenBucket overflow;
  private volatile boolean full;

  DatagramRates(String listener, UdpLimits limits) {
    this(listener, limits, System::nanoTime, MAX_SOURCES);
  }

  DatagramRates(String listener, UdpLimits limits, LongSupplier clock, int maxSources) {
    this.listener = listener;
    this.limits = limits;
    this.clock = clock;
    this.maxSources = maxSources;
    this.perSourceRate = limits.datagramsPerSecondPerSource();
    long now = clock.getAsLong();
    int rate = limits.datagramsPerSecond();
    this.overall = rate > 0 ? new TokenBucket(rate, limits.burstFor(rate), now) : null;
    this.overflow = perSourceRate > 0 ? newSourceBucket(now) : null;
  }

  /** Whether there is per-source state to sweep. */
  boolean perSource() {
    return perSourceRate > 0;
  }

  /** A judge for one instance; confined to that instance's event loop. */
  Gate gate() {
    return new Gate();
  }

  /** Forgets the sources whose buckets are full again; returns how many are still tracked. */
  int sweep() {
    long now = clock.getAsLong();
    for (Map.Entry<Cidr, TokenBucket> e : sources.entrySet()) {
      TokenBucket bucket = e.getValue();
      boolean idle;
      synchronized (bucket) {
        idle = bucket.isFull(now);
      }
      // a gate that fetched this bucket just before may still take a token from it: its source then gets at
      // most one token more than its rate allows, once
      if (idle) {
        sources.remove(e.getKey(), bucket);
      }
    }
    int tracked = sources.size();
    if (full && tracked < maxSources) {
      full = false;
      LOG.info("{}: per-source rate table has room again ({} sources tracked)", listener, tracked);
    }
    return tracked;
  }

  private TokenBucket newSourceBucket(long now) {
    return new TokenBucket(perSourceRate, limits.burstFor(perSourceRate), now);
  }

  private boolean takeFromSource(Cidr key, long now) {
    TokenBucket bucket = sources.get(key);
    if (bucket == null) {
      if (sources.size() < maxSources) {
        bucket = sources.computeIfAbsent(key, k -> newSourceBucket(now));
      } else {
        bucket = overflow;
        if (!full) {
          full = true;
          LOG.warn("{}: per-source rate table full ({} sources): new sources share one bucket of {} datagrams/s"
            + " until idle ones are forgotten", listener, maxSources, perSourceRate);
        }
      }
    }
    synchronized (bucket) {
      return bucket.tryTake(now);
    }
  }

  private boolean takeOverall(long now) {
    synchronized (overall) {
      return overall.tryTake(now);
    }
  }

  /** One instance's door to the shared buckets. Not thread-safe: one event loop only. */
  final class Gate {

    private final Map<InetAddress, Cidr> keys = new HashMap<>();
    /** The last address judged and its key: a benchmark or a busy client sends datagram after datagram. */
    private InetAddress lastAddress;
    private Cidr lastKey;

    Verdict judge(InetAddress address) {
      long now = 0;
      boolean timed = false;
      if (perSourceRate > 0) {
        Cidr key = address.equals(lastAddress) ? lastKey : keyOf(address);
        if (key != EXEMPT) {
          now = clock.getAsLong();
          timed = true;
          if (!takeFromSource(key, now)) {
            return Verdict.PER_SOURCE;
          }
        }
      }
      if (overall != null && !takeOverall(timed ? now : clock.getAsLong())) {
        return Verdict.OVERALL;
      }
      return Verdict.ACCEPT;
    }

    private Cidr keyOf(InetAddress address) {
      Cidr key = keys.get(address);
      if (key == null) {
        key = limits.isExempt(address) ? EXEMPT : Cidr.sourceKey(address);
        if (keys.size() >= MAX_CACHED_ADDRESSES) {
          keys.clear();
        }
        keys.put(address, key);
      }
      lastAddress = address;
      lastKey = key;
      return key;
    }
  }
}
