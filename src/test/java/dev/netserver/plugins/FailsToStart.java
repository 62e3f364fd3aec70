package dev.netserver.plugins;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

/** A handler whose constructor refuses its options: the listener cannot start. */
public final class FailsToStart implements Handler<NetSocket> {

  public FailsToStart(JsonObject options) {
    throw new IllegalArgumentException("no fortunes given");
  }

  @Override
  public void handle(NetSocket socket) {
    socket.close();
  }
}
