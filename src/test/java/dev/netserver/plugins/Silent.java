package dev.netserver.plugins;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;

/** A handler with only a no-argument constructor that never answers and never closes: the listener's idle timeout and shutdown grace must. */
public final class Silent implements Handler<NetSocket> {

  @Override
  public void handle(NetSocket socket) {
    socket.handler(data -> { });
  }
}
