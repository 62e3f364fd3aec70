package dev.netserver.config;

import dev.netserver.vertx.VertxInsides;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The certificates, keys and trusted CAs a {@link TlsConfig} names, loaded and checked: every file read,
 * every key parsed and matched against its certificate, expiry looked at. The one place that does it, for
 * validation (before anything binds), for a listener's start and for each reload, so what was checked is
 * what is served.
 *
 * <p>Blocking (file reads): call it off the event loop.
 */
public final class TlsMaterial {

  private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
  /** Protects the in-memory key stores the key managers are built from; never leaves this class. */
  private static final char[] IN_MEMORY = "netserver-in-memory".toCharArray();

  private final ServerKeys keys;
  private final TrustOptions trust;
  private final String fingerprint;
  private final String serial;

  private TlsMaterial(ServerKeys keys, TrustOptions trust, String fingerprint, String serial) {
    this.keys = keys;
    this.trust = trust;
    this.fingerprint = fingerprint;
    this.serial = serial;
  }

  /** The material, or null with the problems, each starting with its JSON path ({@code tcp[0].tls.keyPath}). */
  public record Loaded(TlsMaterial material, List<String> problems) {
  }

  /** The server's certificates, for Vert.x: the default one, and one per SNI name. */
  public KeyCertOptions keyCertOptions() {
    return keys;
  }

  /** The CAs client certificates must chain to; null without {@code clientAuth}. */
  public TrustOptions trustOptions() {
    return trust;
  }

  /** A hash of every file's bytes as loaded: {@link #fingerprint(TlsConfig)} differs once any changes. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The default certificate's serial number, in hex, for the logs. */
  public String serial() {
    return serial;
  }

  /**
   * Loads and checks everything {@code config} names. {@code env} looks up the key store's password;
   * {@code at} is the JSON path of the {@code tls} object, which every problem starts with. An expired
   * certificate is a warning (logged, with its date), not a problem: renewing it is the operator's next step.
   */
  public static Loaded load(TlsConfig config, Function<String, String> env, String at) {
    List<String> problems = new ArrayList<>();
    FileReads files = new FileReads(problems);
    KeyStore.PrivateKeyEntry main;
    KeyManagerFactory mainFactory = null;
    if (config.keyStore() != null) {
      main = keyStoreEntry(config, env, at, files, problems);
    } else {
      main = pemEntry(ConfigReader.child(at, "certPath"), config.certPath(), ConfigReader.child(at, "keyPath"), config.keyPath(), files, problems);
    }
    if (main != null) {
      mainFactory = keyManagers(main, ConfigReader.child(at, config.keyStore() != null ? "keyStore" : "keyPath"), problems);
    }
    Map<String, KeyManagerFactory> byName = new LinkedHashMap<>();
    config.sni().forEach((name, certKey) -> {
      String entryAt = ConfigReader.child(ConfigReader.child(at, "sni"), name);
      KeyStore.PrivateKeyEntry entry = pemEntry(ConfigReader.child(entryAt, "certPath"), certKey.certPath(),
        ConfigReader.child(entryAt, "keyPath"), certKey.keyPath(), files, problems);
      if (entry != null) {
        byName.put(name, keyManagers(entry, ConfigReader.child(entryAt, "keyPath"), problems));
      }
    });
    TrustOptions trust = null;
    if (config.trustPath() != null) {
      trust = trust(ConfigReader.child(at, "trustPath"), config.trustPath(), files, problems);
    }
    if (!problems.isEmpty()) {
      return new Loaded(null, List.copyOf(problems));
    }
    String serial = ((X509Certificate) main.getCertificate()).getSerialNumber().toString(16);
    return new Loaded(new TlsMaterial(new ServerKeys(mainFactory, byName), trust, files.fingerprint(), serial), List.of());
  }

  /** The fingerprint the files {@code config} names have now, as {@link #fingerprint()} would be if loaded now. */
  public static String fingerprint(TlsConfig config) {
    FileReads files = new FileReads(new ArrayList<>());
    for (String path : paths(config)) {
      files.read("", path);
    }
    return files.fingerprint();
  }

  /** Every file {@code config} names, in the order {@link #load} reads them. */
  static List<String> paths(TlsConfig config) {
    List<String> paths = new ArrayList<>();
    if (config.keyStore() != null) {
      paths.add(config.keyStore());
    } else {
      paths.add(config.certPath());
      paths.add(config.keyPath());
    }
    config.sni().values().forEach(ck -> {
      paths.add(ck.certPath());
      paths.add(ck.keyPath());
    });
    if (config.trustPath() != null) {
      paths.add(config.trustPath());
    }
    return paths;
  }

  private static KeyStore.PrivateKeyEntry pemEntry(String certAt, String certPath, String keyAt, String keyPath,
                                                   FileReads files, List<String> problems) {
    byte[] certPem = files.read(certAt, certPath);
    byte[] keyPem = files.read(keyAt, keyPath);
    if (certPem == null || keyPem == null) {
      return null;
    }
    List<X509Certificate> chain = certificates(certAt, certPath, certPem, problems);
    if (chain == null) {
      return null;
    }
    KeyStore.PrivateKeyEntry entry;
    try {
      entry = VertxInsides.pemKeyEntry(Buffer.buffer(keyPem), Buffer.buffer(certPem));
    } catch (Exception e) {
      problems.add(keyAt + " is not a readable PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC): " + reason(e)
        + " (was " + Problems.render(keyPath) + ")");
      return null;
    }
    return checked(entry, certAt, certPath, keyAt, keyPath, problems);
  }

  private static KeyStore.PrivateKeyEntry keyStoreEntry(TlsConfig config, Function<String, String> env, String at,
                                                        FileReads files, List<String> problems) {
    String storeAt = ConfigReader.child(at, "keyStore");
    String password = env.apply(config.keyStorePasswordEnv());
    if (password == null) {
      problems.add(ConfigReader.child(at, "keyStorePasswordEnv") + " names the environment variable "
        + config.keyStorePasswordEnv() + ", which is not set (was " + Problems.render(config.keyStorePasswordEnv()) + ")");
    }
    byte[] bytes = files.read(storeAt, config.keyStore());
    if (bytes == null || password == null) {
      return null;
    }
    KeyStore store;
    try {
      // the JDK tells PKCS#12 from JKS by the content
      store = KeyStore.getInstance(Path.of(config.keyStore()).toFile(), password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      problems.add(storeAt + " cannot be opened as a PKCS#12 or JKS key store with the password in $"
        + config.keyStorePasswordEnv() + ": " + reason(e) + " (was " + Problems.render(config.keyStore()) + ")");
      return null;
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          KeyStore.Entry entry = store.getEntry(alias, new KeyStore.PasswordProtection(password.toCharArray()));
          if (entry instanceof KeyStore.PrivateKeyEntry pke) {
            return checked(pke, storeAt, config.keyStore(), storeAt, config.keyStore(), problems);
          }
        }
      }
    } catch (GeneralSecurityException e) {
      problems.add(storeAt + " has a private key that cannot be read with the password in $" + config.keyStorePasswordEnv()
        + ": " + reason(e) + " (was " + Problems.render(config.keyStore()) + ")");
      return null;
    }
    problems.add(storeAt + " holds no private key with its certificate (was " + Problems.render(config.keyStore()) + ")");
    return null;
  }

  /** The entry if its key matches its certificate; warns of expired certificates in its chain. */
  private static KeyStore.PrivateKeyEntry checked(KeyStore.PrivateKeyEntry entry, String certAt, String certPath,
                                                  String keyAt, String keyPath, List<String> problems) {
    Certificate[] chain = entry.getCertificateChain();
    if (!matches(entry.getPrivateKey(), chain[0].getPublicKey())) {
      problems.add(keyAt + " does not match the certificate in " + certAt + " (" + certPath + ": "
        + subject(chain[0]) + ") (was " + Problems.render(keyPath) + ")");
      return null;
    }
    Date now = new Date();
    for (Certificate c : chain) {
      if (c instanceof X509Certificate x && x.getNotAfter().before(now)) {
        LOG.warn("{}: the certificate {} in {} expired on {}; clients that check dates will refuse it",
          certAt, x.getSubjectX500Principal().getName(), certPath, x.getNotAfter().toInstant());
      }
    }
    return entry;
  }

  /** Signs with the private key and checks with the certificate's public key: the one test that works for every key type. */
  static boolean matches(PrivateKey key, PublicKey certified) {
    String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "ED25519", "EDDSA" -> "Ed25519";
      case "ED448" -> "Ed448";
      case "DSA" -> "SHA256withDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true; // a key type this check does not know: the handshake will tell
    }
    if (!key.getAlgorithm().equalsIgnoreCase(certified.getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = "netserver key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(certified);
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> certificates(String at, String path, byte[] pem, List<String> problems) {
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (!certs.isEmpty()) {
        return certs.stream().map(c -> (X509Certificate) c).toList();
      }
      problems.add(at + " holds no PEM certificate (was " + Problems.render(path) + ")");
    } catch (GeneralSecurityException e) {
      problems.add(at + " is not a readable PEM certificate: " + reason(e) + " (was " + Problems.render(path) + ")");
    }
    return null;
  }

  private static KeyManagerFactory keyManagers(KeyStore.PrivateKeyEntry entry, String at, List<String> problems) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", entry.getPrivateKey(), IN_MEMORY, entry.getCertificateChain());
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY);
      // Netty's OpenSSL engine takes a plain factory's key and chain again on every handshake (re-encoded as
      // PEM); wrapped in this, it does so once per alias. The material never changes (a reload makes new ones).
      // The JDK's engine just uses the key managers the wrapper hands out.
      return new OpenSslCachingX509KeyManagerFactory(factory);
    } catch (IOException | GeneralSecurityException e) {
      problems.add(at + " cannot serve as a TLS key: " + reason(e));
      return null;
    }
  }

  private static TrustOptions trust(String at, String path, FileReads files, List<String> problems) {
    byte[] pem = files.read(at, path);
    List<X509Certificate> cas = pem == null ? null : certificates(at, path, pem, problems);
    if (cas == null) {
      return null;
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return TrustOptions.wrap(factory);
    } catch (IOException | GeneralSecurityException e) {
      problems.add(at + " cannot serve as trusted CAs: " + reason(e) + " (was " + Problems.render(path) + ")");
      return null;
    }
  }

  private static String subject(Certificate c) {
    return c instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : c.getType();
  }

  private static String reason(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /** Reads the files, reporting a missing or unreadable one, and hashes what it read, in order. */
  private static final class FileReads {
    private final List<String> problems;
    private final MessageDigest digest;

    FileReads(List<String> problems) {
      this.problems = problems;
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    byte[] read(String at, String path) {
      digest.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        byte[] bytes = java.nio.file.Files.readAllBytes(Path.of(path));
        digest.update(bytes);
        return bytes;
      } catch (NoSuchFileException e) {
        problems.add(at + " names a file that does not exist (was " + Problems.render(path) + ")");
      } catch (IOException | RuntimeException e) {
        problems.add(at + " names a file that cannot be read: " + reason(e) + " (was " + Problems.render(path) + ")");
      }
      digest.update(new byte[] {0});
      return null;
    }

    String fingerprint() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /**
   * The server's certificates for Vert.x: the default one, and per SNI name its own (an exact name, else
   * {@code *.} and the name less its first label). Immutable: a reload makes a new one, which Vert.x, comparing
   * options, takes as new.
   */
  private static final class ServerKeys implements KeyCertOptions {
    private final KeyManagerFactory main;
    private final Map<String, KeyManagerFactory> byName;

    ServerKeys(KeyManagerFactory main, Map<String, KeyManagerFactory> byName) {
      this.main = main;
      this.byName = Map.copyOf(byName);
    }

    @Override
    public KeyCertOptions copy() {
      return this;
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
      return main;
    }

    /** Null for a name without a certificate of its own: Vert.x then answers with the default one. */
    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
      return byName.isEmpty() ? null : serverName -> {
        String name = serverName.toLowerCase(Locale.ROOT);
        KeyManagerFactory exact = byName.get(name);
        int dot = name.indexOf('.');
        return exact != null || dot < 0 ? exact : byName.get("*" + name.substring(dot));
      };
    }
  }
}
