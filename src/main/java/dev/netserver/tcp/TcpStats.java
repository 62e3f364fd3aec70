package dev.netserver.tcp;

import io.vertx.core.json.JsonObject;

/**
 * Counters of one TCP listener instance. Plain fields: they are only touched on the instance's event
 * loop (its connections and its stats timer share that thread).
 */
public final class TcpStats {

  long connectionsAccepted;
  long connectionsActive;
  long connectionsClosed;
  long linesAnswered;
  long linesTooLong;
  long timedOut;
  long errors;
  long bytesIn;
  long bytesOut;

  public JsonObject toJson() {
    return new JsonObject()
      .put("connectionsAccepted", connectionsAccepted)
      .put("connectionsActive", connectionsActive)
      .put("connectionsClosed", connectionsClosed)
      .put("linesAnswered", linesAnswered)
      .put("linesTooLong", linesTooLong)
      .put("timedOut", timedOut)
      .put("errors", errors)
      .put("bytesIn", bytesIn)
      .put("bytesOut", bytesOut);
  }
}
