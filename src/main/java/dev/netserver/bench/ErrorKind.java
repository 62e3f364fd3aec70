package dev.netserver.bench;

import java.util.Locale;

/** Why an exchange, a message or a connection counted as an error. */
enum ErrorKind {

  /** The connection (or the UDP socket) could not be made. */
  CONNECT("connect failed"),
  /** Bytes that differ from what the protocol says must come, extra bytes included. */
  WRONG_REPLY("wrong reply"),
  /** The server closed before the exchange was complete (hold: while held). */
  CLOSED("closed early"),
  /** No complete reply within {@code --timeout}. */
  TIMEOUT("timeout"),
  /** A reset or another I/O failure. */
  IO("I/O error");

  private final String text;

  ErrorKind(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /** The key in the JSON's {@code errorKinds}: {@code wrongReply}. */
  String jsonName() {
    String[] words = name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return b.toString();
  }
}
