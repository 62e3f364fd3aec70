package dev.netserver.plugins;

/** A class that is no {@code Handler<NetSocket>}: a configuration naming it is refused. */
public final class NotAHandler {

  static {
    // a configuration check must not initialise the class it looks at
    if (true) {
      throw new IllegalStateException("initialised by a configuration check");
    }
  }
}
