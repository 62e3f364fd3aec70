package dev.netserver.tcp;

import dev.netserver.failure.FailureLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * What a listening socket does when {@code accept()} fails, mostly for want of file descriptors (EMFILE,
 * ENFILE): a handler in the listening channel's own pipeline, ahead of Netty's acceptor. Each failure is
 * counted ({@code acceptFailures}); a line is logged at most once a second per listener, with the
 * listener's name, the process's descriptor limit, and how many failures the line stands for; and
 * accepting pauses for {@link #PAUSE_MS} (nginx's 500 ms), so that a listener cannot spin on a backlog it
 * cannot empty. The clients wait in the backlog meanwhile, and are served once descriptors
 * free up.
 *
 * <p>Left to Netty, the failure goes to the pipeline's tail, which logs the misleading "reached the tail
 * of the pipeline" WARN with no listener name; on epoll Netty's acceptor pauses a second, and on
 * io_uring the accept was resubmitted at once, hundreds of thousands of times a second. For the pause the
 * listening channel is taken off its event loop (deregistered) and put back: turning autoRead off is enough
 * on epoll, but Netty 4.2.9's io_uring channel submits a new accept by itself after a failed one, whatever
 * autoRead says. On io_uring that still leaves a spin between a failure and the deregistration
 * (docs/RELIABILITY.md has the figures).
 *
 * <p>One per listener, shared by its listening channels; thread-safe (they may be on different event loops).
 */
@ChannelHandler.Sharable
public final class AcceptGuard extends ChannelDuplexHandler {

  /** The handler's name in a listening channel's pipeline. */
  public static final String NAME = "netserver-accept-guard";
  /** How long accepting pauses after a failure. */
  public static final long PAUSE_MS = 500;

  private static final AttributeKey<Boolean> PAUSED = AttributeKey.valueOf("netserver.acceptPaused");

  /** Its lines: at most one a second, each saying how many failures it stands for. */
  private final FailureLog log;
  private final Runnable counted;

  /**
   * @param listener the listener's name, which starts every line
   * @param counted  called once per failure, on the listening channel's event loop, to count it
   */
  public AcceptGuard(String listener, Runnable counted) {
    this.log = new FailureLog(LoggerFactory.getLogger(AcceptGuard.class), listener);
    this.counted = counted;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    counted.run();
    Channel channel = ctx.channel();
    if (channel.attr(PAUSED).setIfAbsent(Boolean.TRUE) == null) {
      channel.config().setAutoRead(false);
      EventLoop loop = channel.eventLoop();
      channel.deregister().addListener(d -> loop.schedule(() -> {
        channel.attr(PAUSED).set(null);
        if (channel.isOpen()) {
          loop.register(channel).addListener(r -> channel.config().setAutoRead(true));
        }
      }, PAUSE_MS, TimeUnit.MILLISECONDS));
    }
    log(cause);
    // not passed on: Netty's acceptor would pause a second time, and the pipeline's tail would warn
  }

  /** Holds back any request to accept more while paused: the channel is off its event loop then. */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (ctx.channel().attr(PAUSED).get() == null) {
      ctx.read();
    }
  }

  private void log(Throwable cause) {
    log.warn(NAME, () -> "cannot accept a connection: " + cause.getMessage() + "; " + DESCRIPTOR_LIMIT
      + "; accepting pauses " + PAUSE_MS + " ms after each failure, clients wait in the backlog");
  }

  /**
   * The process's descriptor limit, read once when the first listener starts: out of descriptors, the JVM
   * cannot even load the library that reads it (seen: UnsatisfiedLinkError for libmanagement.so).
   */
  private static final String DESCRIPTOR_LIMIT = descriptorLimit();

  private static String descriptorLimit() {
    try {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
        return "the process may open " + unix.getMaxFileDescriptorCount() + " file descriptors (ulimit -n; LimitNOFILE= under systemd)";
      }
    } catch (RuntimeException | LinkageError e) {
      // not worth failing a start for
    }
    return "the process's file descriptor limit is unknown";
  }
}
