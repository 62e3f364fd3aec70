package dev.netserver.udp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The UDP echo's rules for one datagram, written once for both engines: which datagrams are echoed, which
 * are dropped, and how each is counted. An engine's adapter asks {@link #admit} for every datagram it
 * receives and reports each reply it sends with {@link #echoed}.
 */
final class EchoRules {

  private static final Logger LOG = LoggerFactory.getLogger(EchoRules.class);

  private final String listener;
  private final int maxDatagramBytes;
  /** Replaced by a reload ({@link #update}), on the instance's event loop like every datagram. */
  private SourcePolicy policy;
  private DatagramRates.Gate rates;
  private final UdpStats stats;

  EchoRules(String listener, int maxDatagramBytes, SourcePolicy policy, DatagramRates.Gate rates, UdpStats stats) {
    this.listener = listener;
    this.maxDatagramBytes = maxDatagramBytes;
    this.policy = policy;
    this.rates = rates;
    this.stats = stats;
  }

  /** A reload changed the listener's {@code blockedSourcePorts} or {@code limits}; on the instance's event loop. */
  void update(SourcePolicy policy, DatagramRates.Gate rates) {
    this.policy = policy;
    this.rates = rates;
  }

  /**
   * Counts a received datagram and says whether to echo it. Dropped, and counted by reason: one over
   * {@code maxDatagramBytes} (the engines read into buffers of more than the limit, so a larger datagram
   * arrives with more than the limit even when the kernel cut it), one from a refused sender (its source
   * itself, {@link SourcePolicy}), one over a rate ({@link DatagramRates}: a datagram refused for its source
   * takes no token from the overall rate), and one arriving while the socket can't take another reply
   * ({@code canSend} false).
   */
  boolean admit(int size, InetSocketAddress sender, boolean canSend) {
    stats.datagramsIn++;
    stats.bytesIn += size;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: got {} bytes from {}", listener, size, sender);
    }
    if (size > maxDatagramBytes) {
      stats.droppedOversize++;
      return false;
    }
    switch (policy.judge(sender)) {
      case BLOCKED_PORT -> {
        stats.droppedBlockedSource++;
        return false;
      }
      case INVALID_ADDRESS -> {
        stats.droppedInvalidSource++;
        return false;
      }
      case OWN_SOURCE -> {
        stats.droppedOwnSource++;
        return false;
      }
      case ACCEPT -> {
      }
    }
    switch (rates.judge(sender.getAddress())) {
      case PER_SOURCE -> {
        stats.droppedRatePerSource++;
        return false;
      }
      case OVERALL -> {
        stats.droppedRate++;
        return false;
      }
      case ACCEPT -> {
      }
    }
    if (!canSend) {
      stats.droppedOverload++;
      return false;
    }
    return true;
  }

  /** A reply of {@code size} bytes handed to the socket. */
  void echoed(int size) {
    stats.datagramsEchoed++;
    stats.bytesOut += size;
  }

  /** A datagram lost to a failure ({@link UdpEchoHandler#exceptionCaught} says which count once each). */
  void failed() {
    stats.errors++;
  }
}
