package dev.netserver.tcp;

import dev.netserver.config.TcpListenerConfig;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;

/**
 * One connection to a real TCP listener, for tests in other packages that look at the server's side of
 * it: the channel the listener accepted, with the options it really has.
 */
public final class ServerSideConnection implements AutoCloseable {

  private final Socket client;
  private final Channel accepted;

  private ServerSideConnection(Socket client, Channel accepted) {
    this.client = client;
    this.accepted = accepted;
  }

  /** Deploys {@code config} (an echo listener on loopback), connects once and finds the accepted channel. */
  public static ServerSideConnection open(Vertx vertx, TcpListenerConfig config) throws Exception {
    TcpServerVerticle verticle = new TcpServerVerticle(config, TcpListeners.RUNTIME);
    await(vertx.deployVerticle(verticle));
    Socket client = new Socket(config.binding().addresses().get(0), verticle.boundPorts().get(0));
    try {
      client.setSoTimeout(5000);
      // once the echo is back, the server has set the connection up
      client.getOutputStream().write('x');
      if (client.getInputStream().read() != 'x') {
        throw new IOException("no echo");
      }
      List<Channel> open = verticle.loop().submit(verticle::connectionChannels).get(5, TimeUnit.SECONDS);
      if (open.size() != 1) {
        throw new IllegalStateException("expected one connection, the listener has " + open.size());
      }
      return new ServerSideConnection(client, open.get(0));
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  /** The server's side of the connection. */
  public Channel accepted() {
    return accepted;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
