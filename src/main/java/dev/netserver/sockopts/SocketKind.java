package dev.netserver.sockopts;

/** The sockets netserver makes, each with its own set of options in Netty. */
enum SocketKind {
  TCP_LISTENER("tcpListener", "TCP listener", "tcp"),
  TCP_CONNECTION("tcpConnection", "TCP connection (accepted)", "tcp"),
  UDP("udp", "UDP socket", "udp");

  private final String jsonName;
  private final String title;
  private final String configSection;

  SocketKind(String jsonName, String title, String configSection) {
    this.jsonName = jsonName;
    this.title = title;
    this.configSection = configSection;
  }

  /** The field name in {@code --json} output. */
  public String jsonName() {
    return jsonName;
  }

  /** How the text output names the kind. */
  public String title() {
    return title;
  }

  /** The configuration array whose listeners make sockets of this kind: {@code tcp} or {@code udp}. */
  public String configSection() {
    return configSection;
  }
}
