package dev.netserver.config;

import io.vertx.core.datagram.DatagramSocketOptions;

import java.util.List;

/** Socket options of a UDP listener. Sizes and {@code trafficClass} use -1 for the system default. */
public record UdpSocketConfig(
  boolean reuseAddress,
  boolean reusePort,
  boolean broadcast,
  int receiveBufferSize,
  int sendBufferSize,
  int trafficClass) {

  public static final UdpSocketConfig DEFAULT = new UdpSocketConfig(false, false, false, -1, -1, -1);

  public UdpSocketConfig {
    if (receiveBufferSize < -1 || receiveBufferSize == 0 || sendBufferSize < -1 || sendBufferSize == 0
      || trafficClass < -1 || trafficClass > 255) {
      throw new IllegalArgumentException("socket option out of range");
    }
  }

  static UdpSocketConfig read(ConfigReader r) {
    UdpSocketConfig d = DEFAULT;
    UdpSocketConfig c = new UdpSocketConfig(
      r.bool("reuseAddress", d.reuseAddress),
      r.bool("reusePort", d.reusePort),
      r.bool("broadcast", d.broadcast),
      TcpSocketConfig.bufferSize(r, "receiveBufferSize"),
      TcpSocketConfig.bufferSize(r, "sendBufferSize"),
      r.integer("trafficClass", d.trafficClass, -1, 255, "must be -1 (system default) or an integer in 0..255"));
    r.finish();
    return c;
  }

  public List<String> nativeOnlyOptionsInUse() {
    return reusePort ? List.of("reusePort") : List.of();
  }

  /**
   * Vert.x datagram options carrying these values. Every field is set explicitly: {@code new
   * DatagramSocketOptions(json)} and {@code new DatagramSocketOptions()} disagree on reuseAddress.
   */
  public DatagramSocketOptions toDatagramSocketOptions(boolean ipV6) {
    return new DatagramSocketOptions()
      .setIpV6(ipV6)
      .setReuseAddress(reuseAddress)
      .setReusePort(reusePort)
      .setBroadcast(broadcast)
      .setReceiveBufferSize(receiveBufferSize)
      .setSendBufferSize(sendBufferSize)
      .setTrafficClass(trafficClass);
  }
}
