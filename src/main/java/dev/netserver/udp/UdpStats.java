package dev.netserver.udp;

import io.vertx.core.json.JsonObject;

/** Counters of one UDP listener instance, touched only on its event loop. */
public final class UdpStats {

  long datagramsIn;
  long datagramsEchoed;
  long droppedOversize;
  long droppedBlockedSource;
  long droppedInvalidSource;
  long droppedOverload;
  long errors;
  long bytesIn;
  long bytesOut;

  public JsonObject toJson() {
    return new JsonObject()
      .put("datagramsIn", datagramsIn)
      .put("datagramsEchoed", datagramsEchoed)
      .put("droppedOversize", droppedOversize)
      .put("droppedBlockedSource", droppedBlockedSource)
      .put("droppedInvalidSource", droppedInvalidSource)
      .put("droppedOverload", droppedOverload)
      .put("errors", errors)
      .put("bytesIn", bytesIn)
      .put("bytesOut", bytesOut);
  }
}
