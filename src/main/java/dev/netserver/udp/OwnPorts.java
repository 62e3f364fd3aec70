package dev.netserver.udp;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The UDP ports this process's listeners have bound, known to every UDP listener of the process: a datagram
 * from a local address and one of these ports may be one of our own echoes, and answering it could start an
 * endless loop ({@link SourcePolicy}). Filled at bind time, emptied at close; a port counts its sockets, as
 * one port may be bound by several (reusePort instances, or IPv4 and IPv6 addresses).
 *
 * <p>Thread-safe. {@link #contains} is on every datagram's path: one volatile read of an array element, no
 * lock. 64 Ki counters cost 256 KiB once per process.
 */
final class OwnPorts {

  /** The process's registry, shared by all its UDP listeners. */
  static final OwnPorts PROCESS = new OwnPorts();

  private final AtomicIntegerArray sockets = new AtomicIntegerArray(65_536);

  void add(int port) {
    sockets.incrementAndGet(port);
  }

  void remove(int port) {
    sockets.decrementAndGet(port);
  }

  boolean contains(int port) {
    return sockets.get(port) > 0;
  }
}
