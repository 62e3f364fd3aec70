import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Greeting, TCP echo and UDP echo on plain Netty 4.2 (no Vert.x), as lean as it goes: the benchmark peer
 * that shows what Vert.x costs netserver. The answers match netserver's byte for byte.
 *
 * <pre>bench/peers/netty-peer.sh [--host 127.0.0.1] [--greet-port 51423] [--echo-port 51424]
 *     [--udp-port 51423] [--threads 1] [--transport auto|epoll|nio|io_uring] [--backlog 1024]
 *     [--max-datagram-bytes 8192]</pre>
 *
 * A port of 0 leaves that protocol out. {@code --threads} event loops serve all three (accepting too).
 * {@code --backlog} and {@code --max-datagram-bytes} are netserver's {@code backlog} and
 * {@code maxDatagramBytes}, with netserver's defaults, so a benchmark gives both servers the same value.
 * Buffers come from Netty's default allocator ({@code ByteBufAllocator.DEFAULT}: the adaptive one in
 * Netty 4.2), as netserver's channels do.
 */
public final class NettyPeer {

  static final int LINE_LIMIT = 8192;
  /** The largest UDP payload over IPv4. */
  static final int MAX_UDP_PAYLOAD = 65507;
  // The UDP read rule of netserver's UdpEchoVerticle, constant for constant: a slot of
  // maxDatagramBytes + 1 per datagram, up to 16 slots per read within 256 KiB, up to 16 reads per wake-up.
  /** Datagrams per recvmmsg (epoll) or per batch of recvmsg submissions (io_uring). */
  static final int DATAGRAMS_PER_CALL = 16;
  static final int MAX_BATCH_BYTES = 256 * 1024;
  /** Reads per wake-up before the replies are flushed together. */
  static final int READS_PER_WAKEUP = 16;

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Transport transport;
    try {
      transport = Transport.of(options.transport);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      System.err.println("NettyPeer: transport " + options.transport + " unavailable: " + e);
      System.exit(1);
      return;
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads, transport.factory);
    List<Channel> listeners = new ArrayList<>();
    String binding = null;
    // what a benchmark's record needs to show that this peer ran as configured
    System.out.println("NettyPeer: transport " + transport.name + ", allocator "
        + ByteBufAllocator.DEFAULT.getClass().getSimpleName() + ", backlog " + options.backlog
        + ", maxDatagramBytes " + options.maxDatagramBytes);
    try {
      if (options.greetPort != 0) {
        binding = "greeting on " + options.host + ":" + options.greetPort;
        listeners.add(tcp(group, transport, options, options.greetPort, new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Greeting());
          }
        }));
        ready("greeting", listeners.get(listeners.size() - 1));
      }
      if (options.echoPort != 0) {
        binding = "tcp-echo on " + options.host + ":" + options.echoPort;
        listeners.add(tcp(group, transport, options, options.echoPort, Echo.INSTANCE));
        ready("tcp-echo", listeners.get(listeners.size() - 1));
      }
      if (options.udpPort != 0) {
        binding = "udp-echo on " + options.host + ":" + options.udpPort;
        listeners.add(udp(group, transport, options));
        ready("udp-echo", listeners.get(listeners.size() - 1));
      }
    } catch (Exception e) {
      System.err.println("NettyPeer: cannot listen (" + binding + "): " + e.getMessage());
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      System.exit(1);
    }
    // SIGTERM/SIGINT: the JVM runs this hook and exits with 143/130.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Channel ch : listeners) {
        ch.close().syncUninterruptibly();
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }));
    group.terminationFuture().syncUninterruptibly();
  }

  static Channel tcp(EventLoopGroup group, Transport transport, Options options, int port, ChannelHandler handler)
      throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel)
        .option(ChannelOption.SO_BACKLOG, options.backlog)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A FIN closes the input only, so a half-closed greeting gets its answer and an echo its last bytes.
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(handler)
        .bind(options.host, port).sync().channel();
  }

  static Channel udp(EventLoopGroup group, Transport transport, Options options) throws InterruptedException {
    // One byte more than the largest datagram echoed: a datagram that fills its slot was larger (the
    // kernel cut it) and is dropped, never echoed cut short.
    int slot = options.maxDatagramBytes + 1;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(transport.datagramChannel)
        .handler(new UdpEcho(options.maxDatagramBytes));
    // On epoll and io_uring a receive buffer of several slots is cut into one slot per datagram: epoll
    // fills it with one recvmmsg, io_uring with one recvmsg submission per slot. NIO reads one datagram per
    // buffer. At most 256 KiB per read: with 16 slots of 64 KiB (1 MiB per read) this peer echoed about
    // 45,000 datagrams/s instead of 150,000 (measured).
    int buffer = slot;
    if (transport.maxDatagramPayloadSize != null) {
      buffer = slot * Math.max(1, Math.min(DATAGRAMS_PER_CALL, MAX_BATCH_BYTES / slot));
      b.option(transport.maxDatagramPayloadSize, slot);
    }
    b.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(buffer).maxMessagesPerRead(READS_PER_WAKEUP));
    return b.bind(options.host, options.udpPort).sync().channel();
  }

  static void ready(String protocol, Channel ch) {
    System.out.println("READY " + protocol + " " + NetUtil.toSocketAddressString((InetSocketAddress) ch.localAddress()));
    System.out.flush();
  }

  /** One greeting exchange: welcome and prompt, one line (at most LINE_LIMIT bytes + a \r), answer, close. */
  static final class Greeting extends ChannelInboundHandlerAdapter {
    private static final byte[] WELCOME = ascii("Welcome, ");
    private static final byte[] PROMPT = ascii("\nPlease enter a string: ");
    private static final byte[] ANSWER = ascii("You entered ");
    private static final byte[] ANSWER_END = ascii(" characters.\n");
    private static final ByteBuf TOO_LONG = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer().writeBytes(ascii("Line too long (limit " + LINE_LIMIT + " bytes).\n")));

    private byte[] line;
    private int length;
    private boolean done;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ByteBuf out = ctx.alloc().buffer(64);
      out.writeBytes(WELCOME);
      writeAddress(out, (InetSocketAddress) ctx.channel().remoteAddress());
      out.writeBytes(PROMPT);
      ctx.writeAndFlush(out, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (!done) {
          accept(ctx, in);
        }
      } finally {
        in.release();
      }
    }

    private void accept(ChannelHandlerContext ctx, ByteBuf in) {
      int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      int take = (newline >= 0 ? newline : in.writerIndex()) - in.readerIndex();
      int limit = LINE_LIMIT + 1;
      if (length + take > limit) {
        finish(ctx, TOO_LONG.duplicate());
        return;
      }
      if (take > 0) {
        if (line == null) {
          line = new byte[Math.min(limit, Math.max(take, 128))];
        } else if (length + take > line.length) {
          line = java.util.Arrays.copyOf(line, Math.min(limit, Math.max(length + take, line.length * 2)));
        }
        in.getBytes(in.readerIndex(), line, length, take);
        length += take;
      }
      if (newline >= 0) {
        answer(ctx, true);
      } else if (length == limit && line[length - 1] != '\r') {
        finish(ctx, TOO_LONG.duplicate());
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent && !done) {
        if (length > 0) {
          answer(ctx, false);
        } else {
          done = true;
          ctx.close();
        }
      }
    }

    private void answer(ChannelHandlerContext ctx, boolean terminated) {
      int n = length;
      if (terminated && n > 0 && line[n - 1] == '\r') {
        n--;
      }
      if (n > LINE_LIMIT) {
        finish(ctx, TOO_LONG.duplicate());
        return;
      }
      int count = 0;
      if (n > 0) {
        String text = new String(line, 0, n, StandardCharsets.UTF_8).strip();
        count = text.codePointCount(0, text.length());
      }
      ByteBuf out = ctx.alloc().buffer(48);
      out.writeBytes(ANSWER);
      writeDecimal(out, count);
      out.writeBytes(ANSWER_END);
      finish(ctx, out);
    }

    private void finish(ChannelHandlerContext ctx, ByteBuf reply) {
      done = true;
      line = null;
      ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset client: nothing to tell anyone
    }

    /** 127.0.0.1:5000 without a String; IPv6 ([::1]:5000) through Netty's formatter. */
    private static void writeAddress(ByteBuf out, InetSocketAddress address) {
      if (address.getAddress() instanceof Inet4Address v4) {
        byte[] ip = v4.getAddress();
        for (int i = 0; i < 4; i++) {
          if (i > 0) {
            out.writeByte('.');
          }
          writeDecimal(out, ip[i] & 0xff);
        }
        out.writeByte(':');
        writeDecimal(out, address.getPort());
      } else {
        ByteBufUtil.writeAscii(out, NetUtil.toSocketAddressString(address));
      }
    }
  }

  /** RFC 862 echo: the received buffer goes straight back; reading pauses while the client doesn't read. */
  @ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    static final Echo INSTANCE = new Echo();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** UDP echo: each datagram's buffer goes back to its sender, flushed once per read burst. */
  static final class UdpEcho extends ChannelInboundHandlerAdapter {
    private final int maxDatagramBytes;

    UdpEcho(int maxDatagramBytes) {
      this.maxDatagramBytes = maxDatagramBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      // Too large, or the send queue is past its high-water mark: drop, so a flood can't grow the queue.
      if (packet.content().readableBytes() > maxDatagramBytes || !ctx.channel().isWritable()) {
        packet.release();
        return;
      }
      ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A failed send (e.g. ENOBUFS) loses that datagram only; the socket stays open.
    }
  }

  static void writeDecimal(ByteBuf out, int value) {
    if (value >= 10) {
      writeDecimal(out, value / 10);
    }
    out.writeByte('0' + value % 10);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The channel classes and I/O handler of one transport. */
  record Transport(String name, IoHandlerFactory factory, Class<? extends ServerChannel> serverChannel,
      Class<? extends Channel> datagramChannel, ChannelOption<Integer> maxDatagramPayloadSize) {

    static Transport of(String name) {
      switch (name) {
        case "auto":
          if (Epoll.isAvailable()) {
            return of("epoll");
          }
          System.err.println("NettyPeer: epoll unavailable (" + Epoll.unavailabilityCause() + "), using nio");
          return of("nio");
        case "epoll":
          Epoll.ensureAvailability();
          return new Transport(name, EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
              EpollDatagramChannel.class, EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
        case "io_uring":
          IoUring.ensureAvailability();
          return new Transport(name, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
              IoUringDatagramChannel.class, IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
        case "nio":
          return new Transport(name, NioIoHandler.newFactory(), NioServerSocketChannel.class,
              NioDatagramChannel.class, null);
        default:
          throw Options.usage("unknown transport " + name);
      }
    }
  }

  static final class Options {
    String host = "127.0.0.1";
    int greetPort = 51423;
    int echoPort = 51424;
    int udpPort = 51423;
    int threads = 1;
    String transport = "auto";
    /** netserver's TcpListenerConfig.DEFAULT_BACKLOG. */
    int backlog = 1024;
    /** netserver's UdpListenerConfig.DEFAULT_MAX_DATAGRAM_BYTES. */
    int maxDatagramBytes = 8192;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("-h") || flag.equals("--help")) {
          System.out.println(USAGE);
          System.exit(0);
        }
        if (i + 1 == args.length) {
          throw usage("missing value for " + flag);
        }
        String value = args[++i];
        switch (flag) {
          case "--host" -> o.host = value;
          case "--greet-port" -> o.greetPort = port(flag, value);
          case "--echo-port" -> o.echoPort = port(flag, value);
          case "--udp-port" -> o.udpPort = port(flag, value);
          case "--threads" -> o.threads = number(flag, value, 1, 1024);
          case "--transport" -> o.transport = value;
          case "--backlog" -> o.backlog = number(flag, value, 1, 65535);
          case "--max-datagram-bytes" -> o.maxDatagramBytes = number(flag, value, 1, MAX_UDP_PAYLOAD);
          default -> throw usage("unknown option " + flag);
        }
      }
      return o;
    }

    static int port(String flag, String value) {
      return number(flag, value, 0, 65535);
    }

    static int number(String flag, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw usage(flag + " must be an integer in " + min + ".." + max + " (was " + value + ")");
    }

    static final String USAGE = "usage: bench/peers/netty-peer.sh [--host 127.0.0.1] [--greet-port 51423]"
        + " [--echo-port 51424] [--udp-port 51423] [--threads 1] [--transport auto|epoll|nio|io_uring] [--backlog 1024]"
        + " [--max-datagram-bytes 8192]";

    static IllegalArgumentException usage(String problem) {
      System.err.println("NettyPeer: " + problem);
      System.err.println(USAGE);
      System.exit(2);
      return new IllegalArgumentException(problem);
    }
  }
}
