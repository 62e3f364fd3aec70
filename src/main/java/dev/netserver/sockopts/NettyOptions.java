package dev.netserver.sockopts;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.NetUtil;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reading Netty's own list of a channel's options, and naming and printing them. */
final class NettyOptions {

  /** Where Netty declares its option constants, searched in this order to name one. */
  private static final String[] OPTION_CLASSES = {
    "io.netty.channel.ChannelOption",
    "io.netty.channel.unix.UnixChannelOption",
    "io.netty.channel.epoll.EpollChannelOption",
    "io.netty.channel.uring.IoUringChannelOption",
  };

  private static final Map<ChannelOption<?>, String> CONSTANTS = constants();

  private NettyOptions() {
  }

  /** One option of one channel as Netty reports it. */
  record Observed(ChannelOption<?> option, Object value) {

    String rendered() {
      return render(value);
    }
  }

  /**
   * Every option the channel's config supports, with its current value, by {@link #shortName}. Read on
   * the channel's event loop once it has one. NIO lists most socket options twice (Netty's constant and
   * the JDK's {@code NioChannelOption}); Netty's constant is kept.
   */
  static Map<String, Observed> snapshot(Channel channel) throws Exception {
    Map<ChannelOption<?>, Object> options = channel.isRegistered()
      ? channel.eventLoop().submit(() -> channel.config().getOptions()).get(Probes.STEP_SECONDS, TimeUnit.SECONDS)
      : channel.config().getOptions();
    Map<String, Observed> byName = new LinkedHashMap<>();
    for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
      String name = shortName(e.getKey());
      Observed previous = byName.get(name);
      if (previous == null || previous.option() instanceof NioChannelOption) {
        byName.put(name, new Observed(e.getKey(), e.getValue()));
      }
    }
    return byName;
  }

  /** {@code TCP_KEEPIDLE} for Netty's {@code io.netty.channel.epoll.EpollChannelOption#TCP_KEEPIDLE}. */
  static String shortName(ChannelOption<?> option) {
    String name = option.name();
    return name.substring(name.lastIndexOf('#') + 1);
  }

  /** How to spell the option in Java: {@code EpollChannelOption.TCP_CORK}, {@code NioChannelOption.of(...)}. */
  static String constantName(ChannelOption<?> option) {
    if (option instanceof NioChannelOption) {
      String name = option.name();
      return "NioChannelOption.of(" + (isStandardSocketOption(name) ? "StandardSocketOptions." : "ExtendedSocketOptions.")
        + name + ")";
    }
    String constant = CONSTANTS.get(option);
    return constant != null ? constant : "ChannelOption.valueOf(\"" + option.name() + "\")";
  }

  /** A value for a table cell: short, and the same for equal settings of two channels (no identity hashes). */
  static String render(Object value) {
    if (value == null) {
      return "(none)";
    }
    if (value instanceof Boolean || value instanceof Number || value instanceof String || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof NetworkInterface nic) {
      return nic.getName();
    }
    if (value instanceof InetAddress address) {
      return NetUtil.toAddressString(address);
    }
    if (value instanceof WriteBufferWaterMark marks) {
      return "low " + marks.low() + ", high " + marks.high();
    }
    if (value instanceof FixedRecvByteBufAllocator fixed) {
      return "Fixed, " + fixed.newHandle().guess() + " bytes";
    }
    // the option names the kind of object: RECVBUF_ALLOCATOR Adaptive, MESSAGE_SIZE_ESTIMATOR Default
    return value.getClass().getSimpleName().replaceFirst("((Recv)?ByteBufAllocator|MessageSizeEstimator)$", "");
  }

  /** A value for {@code --json}: booleans and numbers as such, anything else as {@link #render}ed. */
  static Object json(Object value) {
    if (value == null || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    return render(value);
  }

  private static boolean isStandardSocketOption(String name) {
    try {
      return Modifier.isStatic(StandardSocketOptions.class.getField(name).getModifiers());
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  private static Map<ChannelOption<?>, String> constants() {
    Map<ChannelOption<?>, String> names = new IdentityHashMap<>();
    for (String className : OPTION_CLASSES) {
      Class<?> type;
      try {
        type = Class.forName(className);
      } catch (ClassNotFoundException | LinkageError e) {
        continue; // that transport's classes are not on the class path
      }
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && ChannelOption.class.isAssignableFrom(field.getType())) {
          try {
            names.putIfAbsent((ChannelOption<?>) field.get(null), type.getSimpleName() + "." + field.getName());
          } catch (IllegalAccessException e) {
            // not public: not a constant a user can name either
          }
        }
      }
    }
    return names;
  }
}
