package dev.netserver.udp;

import dev.netserver.stats.Counters;
import dev.netserver.stats.ListenerKind;

/** Counters of one UDP listener instance, touched only on its event loop. */
public final class UdpStats {

  long datagramsIn;
  long datagramsEchoed;
  long droppedOversize;
  long droppedBlockedSource;
  long droppedInvalidSource;
  long droppedOwnSource;
  long droppedRatePerSource;
  long droppedRate;
  long droppedOverload;
  long droppedKernel;
  long errors;
  long bytesIn;
  long bytesOut;

  /** The counters as they are now, for a stats snapshot. */
  public Counters counters() {
    return Counters.of(ListenerKind.UDP, counter -> switch (counter) {
      case DATAGRAMS_IN -> datagramsIn;
      case DATAGRAMS_ECHOED -> datagramsEchoed;
      case DROPPED_OVERSIZE -> droppedOversize;
      case DROPPED_BLOCKED_SOURCE -> droppedBlockedSource;
      case DROPPED_INVALID_SOURCE -> droppedInvalidSource;
      case DROPPED_OWN_SOURCE -> droppedOwnSource;
      case DROPPED_RATE_PER_SOURCE -> droppedRatePerSource;
      case DROPPED_RATE -> droppedRate;
      case DROPPED_OVERLOAD -> droppedOverload;
      case DROPPED_KERNEL -> droppedKernel;
      case ERRORS -> errors;
      case BYTES_IN -> bytesIn;
      case BYTES_OUT -> bytesOut;
      // asked only for the UDP counters: one added to Counter without a case here fails the first publish
      default -> throw new IllegalArgumentException(counter + " is not a UDP counter");
    });
  }
}
