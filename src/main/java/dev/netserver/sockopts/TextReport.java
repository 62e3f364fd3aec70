package dev.netserver.sockopts;

import dev.netserver.sockopts.TransportListing.KindListing;
import dev.netserver.sockopts.TransportListing.OptionRow;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** The report as aligned plain-text tables, for people. */
final class TextReport {

  private TextReport() {
  }

  static void print(Report report, PrintStream out) {
    printTransports(report, out);
    out.println();
    printListeners(report, out);
  }

  private static void printTransports(Report report, PrintStream out) {
    List<TransportListing> available = report.transports().stream().filter(TransportListing::available).toList();
    out.println("Socket options by transport and socket kind, as Netty lists them on real sockets here.");
    out.println("Available: " + available.stream().map(TransportListing::name).collect(Collectors.joining(", ")) + "."
      + report.transports().stream().filter(t -> !t.available())
        .map(t -> " Not available: " + t.name() + " (" + t.unavailabilityCause() + ").").collect(Collectors.joining()));
    out.println("LEVEL netty: a Netty setting the operating system never sees. DEFAULT: the value on a fresh socket.");
    out.println("Note: " + Report.BINDTODEVICE_NOTE);
    for (TransportListing transport : available) {
      for (KindListing kind : transport.kinds()) {
        out.println();
        if (kind.error() != null) {
          out.println(transport.name() + ", " + kind.kind().title() + ": " + kind.error());
          continue;
        }
        out.println(transport.name() + ", " + kind.kind().title() + " (" + kind.channel() + "), "
          + kind.options().size() + " options");
        TextTable table = new TextTable("OPTION", "LEVEL", "VALUE", "DEFAULT", "CONFIG KEY", "MEANING");
        for (OptionRow row : kind.options()) {
          table.add(row.doc().osName(), row.doc().osLevel(), row.doc().value(),
            NettyOptions.render(row.current()), configKey(row), meaning(row.doc(), row.netty()));
        }
        table.print(out, "  ");
      }
    }
  }

  private static void printListeners(Report report, PrintStream out) {
    out.println("Configured listeners (" + report.configSource() + "), transport \"" + report.configuredTransport()
      + "\": checked on " + report.transport() + " with sockets made as the server makes them, bound to "
      + Probes.LOOPBACK + " port 0.");
    if (report.transportNote() != null) {
      out.println("Note: " + report.transportNote() + ".");
    }
    out.println("ASKED: what the server gives Netty (- = left to the system). REPORTED: what the socket reports back."
      + " EFFECTIVE: what is in force (the kernel caps a backlog at net.core.somaxconn without reporting it).");
    for (SocketCheck check : report.listeners()) {
      out.println();
      out.println(check.listener() + " (" + check.section() + "[" + check.index() + "], " + check.configured() + "), "
        + socketTitle(check.socket()) + " on " + check.transport());
      if (check.error() != null) {
        out.println("  " + check.error());
        continue;
      }
      TextTable table = new TextTable("KEY", "CONFIG", "OPTION", "ASKED", "REPORTED", "EFFECTIVE", "NOTE");
      for (SocketCheck.Row row : check.rows()) {
        table.add(row.key() == null ? "-" : row.key(),
          row.key() == null ? "" : NettyOptions.render(row.config()),
          row.netty() == null ? "-" : row.doc().osName(),
          row.netty() == null || row.asked() == null ? "-" : NettyOptions.render(row.asked()),
          row.hasValue() ? NettyOptions.render(row.reported()) : "-",
          row.hasValue() ? NettyOptions.render(row.effective()) : "-",
          row.note());
      }
      table.print(out, "  ");
    }
  }

  /** The meaning, naming Netty's option when its name is not the OS name ({@code SO_BACKLOG}). */
  private static String meaning(OptionDoc doc, String netty) {
    return doc.osName().equals(netty) ? doc.meaning() : doc.meaning() + " (Netty: " + netty + ")";
  }

  private static String configKey(OptionRow row) {
    if (row.configKey() != null) {
      return row.configKey();
    }
    if (row.ignoredKeys() != null) {
      return "ignored: " + row.ignoredKeys();
    }
    return row.setByVertx() ? "set by netserver or Vert.x" : "not configurable";
  }

  private static String socketTitle(String socket) {
    return switch (socket) {
      case "listener" -> "listening socket";
      case "accepted" -> "accepted socket";
      default -> "UDP socket";
    };
  }
}
