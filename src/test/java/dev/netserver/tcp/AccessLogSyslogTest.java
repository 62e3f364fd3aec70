package dev.netserver.tcp;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * conf/logback-syslog.xml against a real syslog receiver: Debian's rsyslogd, run as an ordinary process on a
 * loopback UDP port (imudp), writing what it parsed of each message (facility, severity, hostname, tag,
 * program name, message) to a file. The access line and a server line go out through logback's
 * SyslogAppender as configured there, and rsyslog must read them as sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The access log through syslog (rsyslog)")
class AccessLogSyslogTest {

  private static final String RSYSLOGD = "/usr/sbin/rsyslogd";
  private static final long WAIT_MS = 10_000;
  /** How long a probe may go unanswered before it is sent again. */
  private static final long RESEND_MS = 100;

  @TempDir
  Path dir;
  private Process rsyslog;
  /** Changes in {@link #dir}: rsyslog writing its file wakes the test (inotify), instead of a sleep. */
  private WatchService changes;
  private Path received;
  private int port;
  private final LoggerContext logback = new LoggerContext();

  @BeforeEach
  void startRsyslog() throws Exception {
    assumeTrue(new File(RSYSLOGD).canExecute(), RSYSLOGD + " is not installed (apt-get install rsyslog; .ci/run does)");
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    received = dir.resolve("received.log");
    Path conf = Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
      "global(workDirectory=\"" + dir + "\" net.enableDNS=\"off\")",
      "module(load=\"imudp\")",
      "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + port + "\")",
      "template(name=\"fields\" type=\"string\" string=\"%syslogfacility-text%|%syslogseverity-text%|%hostname%|%syslogtag%|%programname%|%msg%\\n\")",
      "*.* action(type=\"omfile\" file=\"" + received + "\" template=\"fields\")", ""));
    changes = dir.getFileSystem().newWatchService();
    dir.register(changes, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    rsyslog = new ProcessBuilder(RSYSLOGD, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
    // ready once a datagram sent to it arrives in its file (sent again until then: UDP before the bind is lost)
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] ready = "<14>ready: ready".getBytes(StandardCharsets.US_ASCII);
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (!Files.exists(received) || Files.size(received) == 0) {
        assertThat(rsyslog.isAlive()).as("rsyslogd runs: %s", Files.readString(dir.resolve("rsyslogd.out"))).isTrue();
        assertThat(System.currentTimeMillis()).as("rsyslogd received nothing within %d ms", WAIT_MS).isLessThan(deadline);
        socket.send(new DatagramPacket(ready, ready.length, InetAddress.getLoopbackAddress(), port));
        awaitChange(RESEND_MS);
      }
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    logback.stop();
    if (rsyslog != null) {
      rsyslog.destroy();
      rsyslog.waitFor(10, TimeUnit.SECONDS);
    }
    if (changes != null) {
      try {
        changes.close();
      } catch (IOException ignored) {
        // the temporary directory goes anyway
      }
    }
  }

  /** Waits at most {@code ms} for a file of {@link #dir} to be created or written. */
  private void awaitChange(long ms) throws InterruptedException {
    WatchKey key = changes.poll(ms, TimeUnit.MILLISECONDS);
    if (key != null) {
      key.pollEvents();
      key.reset();
    }
  }

  /** What rsyslog wrote, one parsed message a line, without the probes that waited for it. */
  private List<String> lines() throws IOException {
    return Files.exists(received) ? Files.readAllLines(received, StandardCharsets.UTF_8).stream()
      .filter(line -> !line.contains("|ready:|")).toList() : List.of();
  }

  private List<String> awaitLines(int n) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (lines().size() < n) {
      assertThat(System.currentTimeMillis()).as("rsyslog wrote %s", lines()).isLessThan(deadline);
      awaitChange(deadline - System.currentTimeMillis());
    }
    return lines();
  }

  @Test
  @DisplayName("parses the access line (local1, info, tag netserver-access, escaped) and a server line (local0, tag netserver)")
  void rsyslogParsesWhatLogbackSent() throws Exception {
    logback.putProperty("syslog.port", String.valueOf(port));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(logback);
    configurator.doConfigure(new File("conf/logback-syslog.xml"));

    // a client text with a newline, a forged syslog header and quotes: one line, escaped
    AccessLog.write(logback.getLogger(AccessLog.LOGGER), "greeter", "evil\n<13>x \"y\"", 1_500_000, 6, 52, "answered", null);
    logback.getLogger(TcpServerVerticle.class).warn("a server line");

    String host = InetAddress.getLocalHost().getHostName();
    String shortHost = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
    List<String> lines = awaitLines(2);
    assertThat(lines).hasSize(2);
    String[] access = lines.stream().filter(l -> l.startsWith("local1|")).findFirst().orElseThrow().split("\\|", 6);
    assertThat(access[1]).isEqualTo("info");
    assertThat(access[2]).startsWith(shortHost);
    assertThat(access[3]).isEqualTo("netserver-access:");
    assertThat(access[4]).isEqualTo("netserver-access");
    assertThat(access[5].strip()).isEqualTo("listener=greeter client=\"evil\\n<13>x \\\"y\\\"\" durationMs=1.500 bytesIn=6 bytesOut=52 outcome=answered");
    String[] server = lines.stream().filter(l -> l.startsWith("local0|")).findFirst().orElseThrow().split("\\|", 6);
    assertThat(server[1]).isEqualTo("warning");
    assertThat(server[3]).isEqualTo("netserver:");
    assertThat(server[5].strip()).isEqualTo("TcpServerVerticle - a server line");
  }
}
