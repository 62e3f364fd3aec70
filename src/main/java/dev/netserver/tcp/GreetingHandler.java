package dev.netserver.tcp;

import dev.netserver.tcp.GreetingProtocol.Outcome;

/**
 * One greeting exchange: welcome and prompt, then one line, then the answer and close. The rules (where the
 * line ends, how long and how slow it may be, what each outcome sends) are {@link GreetingProtocol}'s; this
 * class sends what they say and counts it.
 */
final class GreetingHandler<B> extends TcpConnection<B> {

  private final GreetingProtocol protocol;
  private final GreetingProtocol.Line line;
  /** {@link System#nanoTime()} when the prompt left: the line's deadline counts from it. */
  private long promptAt;

  GreetingHandler(TcpServerVerticle owner, TcpStats stats, String listener, GreetingProtocol protocol, LineBudget budget) {
    super(owner, stats, listener);
    this.protocol = protocol;
    this.line = new GreetingProtocol.Line(protocol, budget);
  }

  @Override
  protected void onOpen() {
    write(protocol.greeting(wire, wire.remoteAddress()));
    flush();
    promptAt = lastActivity();
  }

  @Override
  protected void onData(B data) {
    try {
      answer(line.feed(wire, data));
    } finally {
      wire.release(data);
    }
  }

  @Override
  protected void onEndOfInput() {
    answer(line.end());
  }

  private void answer(Outcome outcome) {
    switch (outcome) {
      case ANSWER -> {
        stats.linesAnswered++;
        ended(AccessLog.ANSWERED);
        writeAndClose(protocol.answer(wire, line.count()));
      }
      case TOO_LONG -> {
        stats.linesTooLong++;
        ended(AccessLog.TOO_LONG);
        writeAndClose(protocol.tooLong(wire));
      }
      case BUSY -> {
        refused(Refusal.BUSY);
        writeAndClose(protocol.busy(wire));
      }
      case NOTHING -> close();
      case MORE, IGNORED -> {
      }
    }
  }

  @Override
  protected boolean deadlinePassed(long now) {
    return !line.finished() && protocol.lineOverdue(promptAt, now);
  }

  @Override
  protected void onDeadline() {
    line.release();
    refused(Refusal.LINE_TIMEOUT);
    writeAndClose(protocol.tooSlow(wire));
  }

  @Override
  protected void onServerShutdown() {
    // Let the client send its line within the grace period; the server closes what is left after it.
  }

  @Override
  protected void onClosed() {
    // a line cut off by the close gives its bytes back to the listener's budget
    line.release();
  }
}
