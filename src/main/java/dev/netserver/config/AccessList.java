package dev.netserver.config;

import java.net.InetAddress;
import java.util.List;

/**
 * Which clients a TCP listener admits, by address, as nginx's {@code allow}/{@code deny}: an address in
 * {@code deny} is refused; otherwise it is admitted if {@code allow} is empty or holds it.
 *
 * @param allow networks admitted; empty admits every address not denied
 * @param deny  networks refused, checked first
 */
public record AccessList(List<Cidr> allow, List<Cidr> deny) {

  /** Everyone admitted. */
  public static final AccessList OPEN = new AccessList(List.of(), List.of());

  public AccessList {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public boolean admits(InetAddress address) {
    return !Cidr.anyContains(deny, address) && (allow.isEmpty() || Cidr.anyContains(allow, address));
  }

  /** Whether every address is admitted, so the check can be skipped. */
  public boolean isOpen() {
    return allow.isEmpty() && deny.isEmpty();
  }

  /** Reads {@code allow} and {@code deny} of a listener object. */
  static AccessList read(ConfigReader r) {
    List<Cidr> allow = Cidr.list(r, "allow", List.of());
    List<Cidr> deny = Cidr.list(r, "deny", List.of());
    // deny is checked first, so an allow entry that a deny entry covers admits no one: a mistake, not a rule
    for (int i = 0; i < allow.size(); i++) {
      for (int j = 0; j < deny.size(); j++) {
        if (deny.get(j).contains(allow.get(i))) {
          r.problems().invalid(ConfigReader.element(r.at("allow"), i), "admits no one: it lies inside "
            + ConfigReader.element(r.at("deny"), j) + " (" + deny.get(j) + "), and deny is checked first", allow.get(i).toString());
          break;
        }
      }
    }
    return new AccessList(allow, deny);
  }
}
