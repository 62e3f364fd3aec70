package dev.netserver.stats;

/** The kinds of listener, as the {@code kind} field of the stats messages spells them. */
public enum ListenerKind {
  TCP("tcp"),
  UDP("udp");

  private final String jsonName;

  ListenerKind(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** The kind of that spelling; {@link IllegalArgumentException} for any other. */
  public static ListenerKind fromJson(String jsonName) {
    for (ListenerKind kind : values()) {
      if (kind.jsonName.equals(jsonName)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown listener kind: " + jsonName);
  }
}
