package dev.netserver;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking TCP client for tests: every read gives up after {@link #TIMEOUT_MS}, so a test that
 * waits for something that never comes fails instead of hanging.
 */
public final class TestClient implements Closeable {

  public static final int TIMEOUT_MS = 5000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private TestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static TestClient connect(String host, int port) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects from {@code localHost} (another loopback address, 127.0.0.2, is another source). */
  public static TestClient connectFrom(String localHost, String host, int port) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(localHost, 0));
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestClient connect(int port) {
    return connect("127.0.0.1", port);
  }

  public Socket socket() {
    return socket;
  }

  /** The local port, as the server sees it in {@code Welcome, ip:port}. */
  public int localPort() {
    return socket.getLocalPort();
  }

  public TestClient send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  public TestClient send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Shuts down the sending side (the client's half-close); reading goes on. */
  public TestClient halfClose() {
    try {
      socket.shutdownOutput();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads exactly {@code text.length()} UTF-8 bytes and returns them as text. */
  public String read(int bytes) {
    try {
      return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until the text read so far ends with {@code suffix}. */
  public String readUntil(String suffix) {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed before \"" + suffix + "\"; got \"" + seen.toString(StandardCharsets.UTF_8) + "\"");
        }
        seen.write(b);
        if (seen.toString(StandardCharsets.UTF_8).endsWith(suffix)) {
          return seen.toString(StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads everything until the server closes the connection. */
  public String readToEnd() {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server has closed the connection: the next read gives end of stream. */
  public boolean isClosedByServer() {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Closes with a TCP reset (SO_LINGER 0) instead of a normal close. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
