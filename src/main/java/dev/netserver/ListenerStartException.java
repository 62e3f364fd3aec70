package dev.netserver;

/** A listener could not start (typically: its address is in use). The message names the listener and the address. */
public final class ListenerStartException extends RuntimeException {

  public ListenerStartException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
