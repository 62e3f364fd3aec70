package dev.netserver.plugins;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;

/** A handler that takes neither nothing nor a JsonObject: it cannot be made from a configuration. */
public final class NoUsableConstructor implements Handler<NetSocket> {

  public NoUsableConstructor(String text) {
  }

  @Override
  public void handle(NetSocket socket) {
    socket.close();
  }
}
