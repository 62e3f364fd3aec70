package dev.netserver.plugins;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

/**
 * A custom protocol as a plugin writes one, with nothing of netserver's: it greets with its options'
 * {@code greeting}, echoes what it gets in upper case, and throws on the text {@code boom} (so that a test
 * sees what the listener makes of a handler's exception).
 */
public final class UpperEcho implements Handler<NetSocket> {

  private final String greeting;

  public UpperEcho(JsonObject options) {
    this.greeting = options.getString("greeting", "hello");
  }

  @Override
  public void handle(NetSocket socket) {
    socket.write(greeting + "\n");
    socket.handler(data -> {
      String text = data.toString();
      if (text.contains("boom")) {
        throw new IllegalStateException("boom from the handler");
      }
      socket.write(text.toUpperCase());
    });
  }
}
