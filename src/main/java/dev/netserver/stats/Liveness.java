package dev.netserver.stats;

/** Whether a listener instance (or a node) still counts as running, and if not, why. */
public enum Liveness {
  /** Publishing, and (clustered) its process is a member of the cluster. */
  LIVE("live"),
  /** It sent its last snapshot: it stopped normally. */
  STOPPED("stopped"),
  /** Its process is no longer a member of the cluster: it left, died, or was cut off. */
  LEFT("left"),
  /** Its process is still a member, but nothing arrived from it for several publish intervals. */
  SILENT("silent");

  private final String jsonName;

  Liveness(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling in the query reply's {@code reason} field. */
  public String jsonName() {
    return jsonName;
  }

  /** The liveness of that spelling; {@link IllegalArgumentException} for any other. */
  public static Liveness fromJson(String jsonName) {
    for (Liveness liveness : values()) {
      if (liveness.jsonName.equals(jsonName)) {
        return liveness;
      }
    }
    throw new IllegalArgumentException("unknown liveness: " + jsonName);
  }

  public boolean live() {
    return this == LIVE;
  }
}
