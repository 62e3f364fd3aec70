package dev.netserver.tcp;

/**
 * RFC 862 echo: each buffer read is written back as it is (on the direct engine without a copy, and
 * everything one wake-up read leaves in one flush). Backpressure: when the client does not read and the
 * bytes waiting for it pass the high water mark (64 KiB), reading from it stops until they drop below the
 * low water mark, so a connection never holds more than about that plus one read.
 */
final class EchoHandler<B> extends TcpConnection<B> {

  private boolean ending;

  EchoHandler(TcpServerVerticle owner, TcpStats stats, String listener) {
    super(owner, stats, listener);
  }

  @Override
  protected void onOpen() {
  }

  @Override
  protected void onData(B data) {
    if (ending) {
      wire.release(data);
      return;
    }
    write(data);
    if (wire.writeQueueFull()) {
      wire.pauseReading();
      flush();
    }
  }

  @Override
  protected void onReadComplete() {
    flush();
  }

  @Override
  protected void onWritable() {
    if (!ending) {
      wire.resumeReading();
    }
  }

  @Override
  protected void onEndOfInput() {
    // The client has said all it will say: send back what is still queued, then close.
    finish();
  }

  @Override
  protected void onServerShutdown() {
    finish();
  }

  private void finish() {
    if (!ending) {
      ending = true;
      end();
    }
  }
}
