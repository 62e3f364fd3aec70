package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A TCP listener's {@code tls} object: where its certificates are, whom it asks for a certificate, which
 * protocol versions it speaks. The files themselves are loaded and checked by {@link TlsMaterial}, at
 * validation (before anything binds), at start and at every reload.
 *
 * @param certPath                PEM certificate chain, with {@code keyPath}; null with {@code keyStore}
 * @param keyPath                 PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param keyStore                PKCS#12 or JKS key store, instead of the PEM pair
 * @param keyStorePasswordEnv     the environment variable holding the key store's password (never in the file)
 * @param sni                     server name (exact, or {@code *.example.com}) to its own PEM pair, in order
 * @param clientAuth              whether a client certificate is asked for
 * @param trustPath               PEM CA bundle the client certificates must chain to; with {@code clientAuth} only
 * @param protocols               enabled protocol versions
 * @param handshakeTimeoutSeconds a handshake not finished this long after the accept is closed (and counted)
 * @param provider                whose TLS implementation runs the handshakes and the record layer
 */
public record TlsConfig(
  String certPath,
  String keyPath,
  String keyStore,
  String keyStorePasswordEnv,
  Map<String, CertKey> sni,
  ClientAuthMode clientAuth,
  String trustPath,
  List<String> protocols,
  int handshakeTimeoutSeconds,
  Provider provider) {

  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /** What the JDK offers and enables: TLSv1.1 and older are disabled by its security policy (jdk.tls.disabledAlgorithms). */
  public static final List<String> KNOWN_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
  public static final ClientAuthMode DEFAULT_CLIENT_AUTH = ClientAuthMode.NONE;
  /**
   * OpenSSL (BoringSSL through netty-tcnative) where its native library loads (Linux x86-64), else the JDK's:
   * chosen from the TLS benchmark, where it took a quarter to a half of the JDK's CPU per handshake and per
   * message (docs/CONFIGURATION.md#tls-provider). Only an omitted {@code provider} falls back; the startup
   * line names the one in use.
   */
  public static final Provider DEFAULT_PROVIDER = OpenSSLEngineOptions.isAvailable() ? Provider.OPENSSL : Provider.JDK;

  /** A server name as SNI sends it (a DNS name), with one optional leading {@code *.} label. */
  private static final Pattern SERVER_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  /** A certificate chain and its private key, both PEM. */
  public record CertKey(String certPath, String keyPath) {
    public CertKey {
      Objects.requireNonNull(certPath, "certPath");
      Objects.requireNonNull(keyPath, "keyPath");
    }
  }

  public enum ClientAuthMode {
    NONE, REQUEST, REQUIRED;

    public static final Map<String, ClientAuthMode> SPELLINGS = ConfigReader.spellings(ClientAuthMode.class, ClientAuthMode::configName);

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The TLS implementation: the JDK's own ({@code SSLEngine} of SunJSSE), or OpenSSL's API through Netty's
   * tcnative (BoringSSL, statically linked in netty-tcnative-boringssl-static; Linux x86-64 only here).
   */
  public enum Provider {
    JDK, OPENSSL;

    public static final Map<String, Provider> SPELLINGS = ConfigReader.spellings(Provider.class, Provider::configName);

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Every setting but the provider given, the provider at its default. */
  public TlsConfig(String certPath, String keyPath, String keyStore, String keyStorePasswordEnv, Map<String, CertKey> sni,
                   ClientAuthMode clientAuth, String trustPath, List<String> protocols, int handshakeTimeoutSeconds) {
    this(certPath, keyPath, keyStore, keyStorePasswordEnv, sni, clientAuth, trustPath, protocols, handshakeTimeoutSeconds,
      DEFAULT_PROVIDER);
  }

  public TlsConfig {
    Objects.requireNonNull(provider, "provider");
    if ((certPath == null) != (keyPath == null) || (certPath == null) == (keyStore == null)) {
      throw new IllegalArgumentException("either certPath and keyPath, or keyStore");
    }
    if ((keyStore == null) != (keyStorePasswordEnv == null)) {
      throw new IllegalArgumentException("keyStorePasswordEnv goes with keyStore");
    }
    sni = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sni));
    Objects.requireNonNull(clientAuth, "clientAuth");
    if ((clientAuth == ClientAuthMode.NONE) != (trustPath == null)) {
      throw new IllegalArgumentException("trustPath goes with clientAuth request or required");
    }
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty() || !KNOWN_PROTOCOLS.containsAll(protocols) || handshakeTimeoutSeconds < 1) {
      throw new IllegalArgumentException("tls setting out of range");
    }
  }

  /** A PEM pair with every other setting at its default. */
  public static TlsConfig pem(String certPath, String keyPath) {
    return new TlsConfig(certPath, keyPath, null, null, Map.of(), DEFAULT_CLIENT_AUTH, null, DEFAULT_PROTOCOLS,
      DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
  }

  public TlsConfig withSni(Map<String, CertKey> names) {
    return new TlsConfig(certPath, keyPath, keyStore, keyStorePasswordEnv, names, clientAuth, trustPath, protocols, handshakeTimeoutSeconds, provider);
  }

  public TlsConfig withClientAuth(ClientAuthMode mode, String trust) {
    return new TlsConfig(certPath, keyPath, keyStore, keyStorePasswordEnv, sni, mode, trust, protocols, handshakeTimeoutSeconds, provider);
  }

  public TlsConfig withProtocols(List<String> p) {
    return new TlsConfig(certPath, keyPath, keyStore, keyStorePasswordEnv, sni, clientAuth, trustPath, p, handshakeTimeoutSeconds, provider);
  }

  public TlsConfig withProvider(Provider p) {
    return new TlsConfig(certPath, keyPath, keyStore, keyStorePasswordEnv, sni, clientAuth, trustPath, protocols, handshakeTimeoutSeconds, p);
  }

  /**
   * The {@code tls} object of a listener, or null without one. Its files are loaded and checked here too
   * ({@link TlsMaterial#load}), so a bad certificate is reported with every other problem, before anything
   * binds.
   */
  static TlsConfig read(ConfigReader listener) {
    if (!listener.has("tls")) {
      return null;
    }
    ConfigReader r = listener.object("tls");
    Problems problems = r.problems();
    String cert = r.string("certPath", null);
    String key = r.string("keyPath", null);
    String store = r.string("keyStore", null);
    String passwordEnv = r.string("keyStorePasswordEnv", null);
    boolean pemPair = r.has("certPath") || r.has("keyPath");
    boolean ok = true;
    if (pemPair && r.has("keyStore")) {
      problems.add(r.at("keyStore") + " and certPath/keyPath are two ways to give the certificate: use one");
      ok = false;
    } else if (pemPair && (cert == null || key == null)) {
      if (r.has("certPath") != r.has("keyPath")) {
        problems.add(r.at(r.has("certPath") ? "keyPath" : "certPath") + " is required with "
          + (r.has("certPath") ? "certPath" : "keyPath") + " (a PEM certificate chain and its private key)");
      }
      ok = false;
    } else if (!pemPair && store == null) {
      if (!r.has("keyStore")) {
        problems.add(r.path() + " needs certPath and keyPath (PEM), or keyStore with keyStorePasswordEnv");
      }
      ok = false;
    }
    if (store != null && passwordEnv == null && !r.has("keyStorePasswordEnv")) {
      problems.add(r.at("keyStorePasswordEnv") + " is required with keyStore (the name of the environment variable"
        + " holding its password; the password itself never goes in the file)");
      ok = false;
    } else if (store == null && r.has("keyStorePasswordEnv")) {
      problems.add(r.at("keyStorePasswordEnv") + " applies only with keyStore");
      ok = false;
    } else if (store != null && passwordEnv == null) {
      ok = false;
    }
    Map<String, CertKey> sni = readSni(r);
    ClientAuthMode clientAuth = r.choice("clientAuth", DEFAULT_CLIENT_AUTH, ClientAuthMode.SPELLINGS);
    String trust = r.string("trustPath", null);
    if (clientAuth != ClientAuthMode.NONE && trust == null) {
      if (!r.has("trustPath")) {
        problems.add(r.at("trustPath") + " is required with clientAuth \"" + clientAuth.configName()
          + "\" (the PEM CA bundle client certificates must chain to)");
      }
      ok = false;
    } else if (clientAuth == ClientAuthMode.NONE && r.has("trustPath")) {
      problems.add(r.at("trustPath") + " applies only with clientAuth \"request\" or \"required\" (clientAuth is \"none\")");
      trust = null;
    }
    List<String> protocols = readProtocols(r);
    int timeout = r.integer("handshakeTimeoutSeconds", DEFAULT_HANDSHAKE_TIMEOUT_SECONDS, 1, 3600);
    Provider provider = r.choice("provider", DEFAULT_PROVIDER, Provider.SPELLINGS);
    if (provider == Provider.OPENSSL && !OpenSSLEngineOptions.isAvailable()) {
      problems.add(r.at("provider") + " \"openssl\" cannot load here (netty-tcnative-boringssl-static ships Linux x86-64 only): "
        + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "; use \"jdk\"");
      ok = false;
    }
    r.finish();
    if (!ok || sni == null || protocols == null) {
      return null;
    }
    TlsConfig config = new TlsConfig(cert, key, store, passwordEnv, sni, clientAuth, trust, protocols, timeout, provider);
    TlsMaterial.Loaded loaded = TlsMaterial.load(config, System::getenv, r.path());
    loaded.problems().forEach(problems::add);
    return config;
  }

  private static Map<String, CertKey> readSni(ConfigReader tls) {
    Map<String, CertKey> names = new LinkedHashMap<>();
    if (!tls.has("sni")) {
      return names;
    }
    if (!(tls.raw("sni") instanceof JsonObject sni)) {
      tls.problems().invalid(tls.at("sni"), "must be an object mapping a server name to {\"certPath\", \"keyPath\"}", tls.raw("sni"));
      return null;
    }
    boolean ok = true;
    ConfigReader all = tls.object("sni");
    for (String name : sni.fieldNames()) {
      ConfigReader entry = all.object(name);
      if (!SERVER_NAME.matcher(name).matches()) {
        tls.problems().add(all.at(name) + " is not a server name (a DNS name such as \"example.com\", or \"*.example.com\")");
        ok = false;
      }
      String cert = entry.string("certPath", null);
      String key = entry.string("keyPath", null);
      for (String k : List.of("certPath", "keyPath")) {
        if (!entry.has(k)) {
          tls.problems().add(entry.at(k) + " is required (each server name has its own PEM certificate and key)");
        }
      }
      entry.finish();
      if (cert == null || key == null) {
        ok = false;
      } else {
        names.put(name.toLowerCase(Locale.ROOT), new CertKey(cert, key));
      }
    }
    return ok ? names : null;
  }

  private static List<String> readProtocols(ConfigReader tls) {
    if (!tls.has("protocols")) {
      return DEFAULT_PROTOCOLS;
    }
    String rule = "must be a non-empty array of " + String.join(", ", KNOWN_PROTOCOLS);
    if (!(tls.raw("protocols") instanceof JsonArray array) || array.isEmpty()) {
      tls.problems().invalid(tls.at("protocols"), rule, tls.raw("protocols"));
      return null;
    }
    List<String> protocols = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object p = array.getValue(i);
      if (p instanceof String s && KNOWN_PROTOCOLS.contains(s)) {
        protocols.add(s);
      } else {
        tls.problems().invalid(ConfigReader.element(tls.at("protocols"), i), "is not a known protocol (one of "
          + String.join(", ", KNOWN_PROTOCOLS) + ")", p);
      }
    }
    return protocols.size() == array.size() ? protocols : null;
  }
}
