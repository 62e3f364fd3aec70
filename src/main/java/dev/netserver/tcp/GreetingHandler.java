package dev.netserver.tcp;

import java.util.Arrays;

/**
 * One greeting exchange: welcome and prompt, then one line, then the answer and close.
 *
 * <p>The line ends at the first {@code \n}; a {@code \r} just before it belongs to the terminator. At
 * most {@code maxLineBytes + 1} bytes are ever held (the extra byte being a possible {@code \r}); one
 * more and the client gets "Line too long" and is closed. Bytes after the line are ignored. Nothing is
 * held before the client sends its first byte.
 */
final class GreetingHandler<B> extends TcpConnection<B> {

  private final GreetingProtocol protocol;
  private byte[] line;
  private int length;
  private boolean finished;

  GreetingHandler(TcpServerVerticle owner, TcpStats stats, String listener, GreetingProtocol protocol) {
    super(owner, stats, listener);
    this.protocol = protocol;
  }

  @Override
  protected void onOpen() {
    write(protocol.greeting(wire, wire.remoteAddress()));
    flush();
  }

  @Override
  protected void onData(B data) {
    try {
      if (!finished) {
        take(data);
      }
    } finally {
      wire.release(data);
    }
  }

  private void take(B data) {
    int newline = wire.indexOf(data, (byte) '\n');
    int take = newline >= 0 ? newline : wire.length(data);
    int limit = protocol.maxLineBytes + 1;
    if (length + take > limit) {
      tooLong();
      return;
    }
    if (take > 0) {
      if (line == null) {
        line = new byte[Math.min(limit, Math.max(take, 128))];
      } else if (length + take > line.length) {
        line = Arrays.copyOf(line, Math.min(limit, Math.max(length + take, line.length * 2)));
      }
      wire.copy(data, line, length, take);
      length += take;
    }
    if (newline >= 0) {
      answer(true);
    } else if (length == limit && line[length - 1] != '\r') {
      tooLong();
    }
  }

  @Override
  protected void onEndOfInput() {
    if (finished) {
      return;
    }
    if (length > 0) {
      answer(false);
    } else {
      finished = true;
      close();
    }
  }

  @Override
  protected void onServerShutdown() {
    // Let the client send its line within the grace period; the server closes what is left after it.
  }

  private void answer(boolean terminated) {
    finished = true;
    int n = length;
    if (terminated && n > 0 && line[n - 1] == '\r') {
      n--;
    }
    if (n > protocol.maxLineBytes) {
      tooLong();
      return;
    }
    int count = n == 0 ? 0 : GreetingProtocol.countCharacters(line, n);
    line = null;
    stats.linesAnswered++;
    writeAndClose(protocol.answer(wire, count));
  }

  private void tooLong() {
    finished = true;
    line = null;
    stats.linesTooLong++;
    writeAndClose(protocol.tooLong(wire));
  }
}
