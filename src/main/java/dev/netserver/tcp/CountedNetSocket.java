package dev.netserver.tcp;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.SocketAddress;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.File;
import java.security.cert.Certificate;
import java.util.List;

/**
 * The {@link NetSocket} a custom protocol gets: Vert.x's own, through which its connection
 * ({@link HandlerConnection}) counts what is written and keeps the data, drain and close handlers that
 * {@link NetSocketAdapter} calls it with (the adapter owns the real socket's handlers, so the counters, the
 * idle sweep and the close stay the listener's). Everything else goes straight to the real socket, with the
 * protocol's remaining handlers guarded so that what they throw is counted.
 */
final class CountedNetSocket implements NetSocket {

  private final NetSocket socket;
  private final HandlerConnection connection;
  Handler<Buffer> dataHandler;
  Handler<Void> drainHandler;
  Handler<Void> closeHandler;

  CountedNetSocket(NetSocket socket, HandlerConnection connection) {
    this.socket = socket;
    this.connection = connection;
  }

  @Override
  public NetSocket handler(Handler<Buffer> handler) {
    dataHandler = handler;
    return this;
  }

  @Override
  public NetSocket drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public NetSocket closeHandler(Handler<Void> handler) {
    closeHandler = handler;
    return this;
  }

  /** Socket exceptions are the connection's: counted, reported and the connection closed, as for any protocol. */
  @Override
  public NetSocket exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public NetSocket endHandler(Handler<Void> handler) {
    socket.endHandler(connection.guarded(handler));
    return this;
  }

  @Override
  public NetSocket shutdownHandler(Handler<Void> handler) {
    socket.shutdownHandler(connection.guarded(handler));
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    connection.written(data.length());
    return socket.write(data);
  }

  @Override
  public Future<Void> write(String text) {
    return write(Buffer.buffer(text));
  }

  @Override
  public Future<Void> write(String text, String encoding) {
    return write(Buffer.buffer(text, encoding));
  }

  @Override
  public Future<Void> sendFile(String filename, long offset, long length) {
    long size = new File(filename).length();
    connection.written(Math.max(0, Math.min(length, size - offset)));
    return socket.sendFile(filename, offset, length);
  }

  @Override
  public NetSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public NetSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public NetSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public NetSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public Future<Void> close() {
    return socket.close();
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress remoteAddress(boolean real) {
    return socket.remoteAddress(real);
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public SocketAddress localAddress(boolean real) {
    return socket.localAddress(real);
  }

  @Override
  public Future<Void> upgradeToSsl(SSLOptions options, String serverName, Buffer upgrade) {
    return socket.upgradeToSsl(options, serverName, upgrade);
  }

  @Override
  public boolean isSsl() {
    return socket.isSsl();
  }

  @Override
  public SSLSession sslSession() {
    return socket.sslSession();
  }

  @Override
  public List<Certificate> peerCertificates() throws SSLPeerUnverifiedException {
    return socket.peerCertificates();
  }

  @Override
  public String indicatedServerName() {
    return socket.indicatedServerName();
  }

  @Override
  public String applicationLayerProtocol() {
    return socket.applicationLayerProtocol();
  }
}
