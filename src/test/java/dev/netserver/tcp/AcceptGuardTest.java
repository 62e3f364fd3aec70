package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.StatsProbe;
import dev.netserver.TestClient;
import dev.netserver.config.Binding;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A TCP listener whose accept() fails (out of file descriptors)")
class AcceptGuardTest {

  private static final String PROMPT = "Please enter a string: ";

  @Test
  @DisplayName("counts every failure, logs one line a second naming the listener and the limit, not Netty's tail WARN, and serves again after the pause")
  void countsLogsPausesAndRecovers(Vertx vertx) throws Exception {
    TcpListenerConfig config = TcpListenerConfig.of("greeter", TcpProtocol.GREETING, Binding.of("127.0.0.1", 0)).withInstances(1);
    TcpServerVerticle verticle = new TcpServerVerticle(config, TcpListeners.RUNTIME);
    await(vertx.deployVerticle(verticle));
    Channel listening = verticle.listeningChannels().get(0);
    try (StatsProbe probe = new StatsProbe(vertx);
         LogCapture guardLog = LogCapture.of(AcceptGuard.class);
         LogCapture tail = LogCapture.of(DefaultChannelPipeline.class)) {
      // what the transports fire after a failed accept(), 100 times in a burst
      listening.eventLoop().submit(() -> {
        for (int i = 0; i < 100; i++) {
          listening.pipeline().fireExceptionCaught(new IOException("accept(..) failed with error(-24): Too many open files"));
        }
      }).get(5, TimeUnit.SECONDS);
      probe.awaitCounter("greeter", "acceptFailures", 100);
      assertThat(guardLog.atLeast(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
        .startsWith("greeter: cannot accept a connection: accept(..) failed with error(-24): Too many open files;")
        .contains("file descriptors");
      assertThat(tail.atLeast(Level.WARN)).isEmpty();
      // paused: not registered for accepting; back within the pause (500 ms) plus slack, then serves
      try (TestClient client = TestClient.connect(verticle.boundPorts().get(0))) {
        assertThat(client.readUntil(PROMPT)).startsWith("Welcome, 127.0.0.1:");
      }
      assertThat(listening.config().isAutoRead()).isTrue();
    }
  }
}
