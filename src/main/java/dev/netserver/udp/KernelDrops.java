package dev.netserver.udp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The datagrams the kernel dropped for one listener instance's sockets because their receive buffer was full:
 * Linux's {@code drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6}, a running total per socket.
 * Elsewhere (no such files) every count is 0.
 *
 * <p>A socket is recognised by its inode, which the files list: at start, {@link #claim} takes, for each bound
 * address, the row with that local address and port whose inode is one of this process's sockets
 * ({@code /proc/self/fd}) and not yet claimed by another instance (reusePort instances share the address).
 * Neither engine exposes a socket's descriptor on every transport, so this one way serves both. All methods
 * but {@link #release} read files: call them off the event loop.
 */
final class KernelDrops {

  private static final Logger LOG = LoggerFactory.getLogger(KernelDrops.class);
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  /** Inodes claimed by a live instance of this process; guarded by the class. */
  private static final Set<Long> CLAIMED = new HashSet<>();

  static final KernelDrops NONE = new KernelDrops(Set.of());

  private final Set<Long> inodes;

  private KernelDrops(Set<Long> inodes) {
    this.inodes = Set.copyOf(inodes);
  }

  /** Claims the socket of each bound address; one not found is left out (its drops are not counted). */
  static KernelDrops claim(String listener, List<InetSocketAddress> bound) {
    if (!Files.isReadable(TABLES.get(0))) {
      return NONE;
    }
    synchronized (KernelDrops.class) {
      Set<Long> mine = ownSocketInodes();
      List<Row> rows = rows();
      Set<Long> claimed = new HashSet<>();
      for (InetSocketAddress address : bound) {
        Row found = null;
        for (Row row : rows) {
          if (row.port == address.getPort() && sameAddress(row.address, address.getAddress())
            && mine.contains(row.inode) && !CLAIMED.contains(row.inode) && !claimed.contains(row.inode)) {
            found = row;
            break;
          }
        }
        if (found == null) {
          LOG.debug("{}: no socket of this process bound to {} in /proc/net/udp: its kernel drops are not counted", listener, address);
        } else {
          claimed.add(found.inode);
        }
      }
      CLAIMED.addAll(claimed);
      return new KernelDrops(claimed);
    }
  }

  /** The drops of the claimed sockets, summed. */
  long read() {
    if (inodes.isEmpty()) {
      return 0;
    }
    long drops = 0;
    for (Row row : rows()) {
      if (inodes.contains(row.inode)) {
        drops += row.drops;
      }
    }
    return drops;
  }

  /** Lets the inodes go, once the sockets are closed (the kernel may give their numbers to new sockets). */
  void release() {
    synchronized (KernelDrops.class) {
      CLAIMED.removeAll(inodes);
    }
  }

  private static boolean sameAddress(InetAddress row, InetAddress bound) {
    return row.equals(bound) || (row.isAnyLocalAddress() && bound.isAnyLocalAddress());
  }

  /** One socket's line: {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops}. */
  private record Row(InetAddress address, int port, long inode, long drops) {
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue; // no IPv6, or not Linux
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length < 13) {
          continue;
        }
        try {
          int colon = f[1].indexOf(':');
          rows.add(new Row(address(f[1].substring(0, colon)), Integer.parseInt(f[1].substring(colon + 1), 16),
            Long.parseLong(f[9]), Long.parseLong(f[f.length - 1])));
        } catch (RuntimeException | UnknownHostException e) {
          LOG.debug("unreadable line in {}: {}", table, lines.get(i));
        }
      }
    }
    return rows;
  }

  /**
   * The kernel prints an address as its 32-bit words in the machine's byte order, each as 8 hex digits. An
   * IPv4-mapped IPv6 address comes back as the IPv4 address (Java's rule), as a dual-stack socket reports it.
   */
  static InetAddress address(String hex) throws UnknownHostException {
    ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
    for (int at = 0; at < hex.length(); at += 8) {
      bytes.putInt((int) Long.parseLong(hex.substring(at, at + 8), 16));
    }
    return InetAddress.getByAddress(bytes.array());
  }

  /** The inodes of this process's sockets ({@code socket:[123]} links in /proc/self/fd). */
  private static Set<Long> ownSocketInodes() {
    Set<Long> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_FDS)) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile, or not a link: not one of the listener's sockets
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", OWN_FDS, e.toString());
    }
    return inodes;
  }
}
