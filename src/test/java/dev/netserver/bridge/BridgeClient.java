package dev.netserver.bridge;

import io.vertx.core.json.JsonObject;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of the TCP event bus bridge as another language would write one: a plain socket, each frame a 4-byte
 * big-endian length and that many bytes of UTF-8 JSON. Reads block for at most {@value #TIMEOUT_MS} ms.
 */
final class BridgeClient implements Closeable {

  static final int TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private BridgeClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static BridgeClient connect(int port) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return new BridgeClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BridgeClient send(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    try {
      out.writeInt(json.length);
      out.write(json);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The next frame; fails after {@value #TIMEOUT_MS} ms without one. */
  JsonObject read() {
    try {
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame whose {@code type} is {@code type}, skipping others (the snapshots of a subscription). */
  JsonObject read(String type) {
    while (true) {
      JsonObject frame = read();
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  static JsonObject frame(String type, String address) {
    JsonObject frame = new JsonObject().put("type", type);
    return address == null ? frame : frame.put("address", address);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
