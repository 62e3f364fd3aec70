package dev.netserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time by the real tools ({@code openssl}, and the JDK's {@code keytool} for an
 * already expired one): no private key is committed. EC P-256 keys, quick to make. Each method writes its
 * files into {@code dir} and returns their paths.
 */
public final class TestCerts {

  private final Path dir;

  public TestCerts(Path dir) {
    this.dir = dir;
  }

  /** A certificate and its key. */
  public record Pair(Path cert, Path key) {
    public String certPath() {
      return cert.toString();
    }

    public String keyPath() {
      return key.toString();
    }
  }

  /** A self-signed certificate for {@code cn} (also its DNS name) with that serial number. */
  public Pair selfSigned(String name, String cn, long serial) {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn,
      "-addext", "subjectAltName=DNS:" + cn, "-set_serial", Long.toString(serial));
    return new Pair(cert, key);
  }

  /** A certificate for {@code cn} signed by {@code ca}, for a client's authentication. */
  public Pair signedBy(Pair ca, String name, String cn, long serial) {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.certPath(), "-CAkey", ca.keyPath(),
      "-set_serial", Long.toString(serial), "-days", "2", "-out", cert.toString());
    return new Pair(cert, key);
  }

  /** The same key in the traditional SEC1 form ({@code BEGIN EC PRIVATE KEY}), as older tools write it. */
  public Path sec1Key(Pair pair) {
    Path key = dir.resolve(pair.key().getFileName() + ".sec1");
    openssl("ec", "-in", pair.keyPath(), "-out", key.toString());
    return key;
  }

  /** A PKCS#12 key store of {@code pair}, with that password. */
  public Path pkcs12(Pair pair, String password) {
    Path store = dir.resolve(pair.cert().getFileName() + ".p12");
    openssl("pkcs12", "-export", "-in", pair.certPath(), "-inkey", pair.keyPath(), "-out", store.toString(),
      "-passout", "pass:" + password);
    return store;
  }

  /** A JKS key store of a new key pair, made by keytool; {@code startDate} as keytool takes it, or null for now. */
  public Path jks(String name, String password, String startDate, int days) {
    Path store = dir.resolve(name + ".jks");
    List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
      "-genkeypair", "-keystore", store.toString(), "-storetype", "JKS", "-storepass", password, "-keypass", password,
      "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", Integer.toString(days)));
    if (startDate != null) {
      args.addAll(List.of("-startdate", startDate));
    }
    run(args);
    return store;
  }

  /** A certificate and key that expired in 2020 (keytool can back-date; openssl 3.0's req cannot). */
  public Pair expired(String name) {
    Path store = jks(name, "changeit", "2020/01/01 00:00:00", 1);
    Path p12 = dir.resolve(name + ".p12");
    run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importkeystore",
      "-srckeystore", store.toString(), "-srcstorepass", "changeit", "-destkeystore", p12.toString(),
      "-deststoretype", "PKCS12", "-deststorepass", "changeit"));
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    openssl("pkcs12", "-in", p12.toString(), "-passin", "pass:changeit", "-nokeys", "-out", cert.toString());
    openssl("pkcs12", "-in", p12.toString(), "-passin", "pass:changeit", "-nocerts", "-nodes", "-out", key.toString());
    return new Pair(cert, key);
  }

  /** The serial number of the first certificate in PEM text (as {@code openssl s_client} prints it). */
  public static BigInteger serial(String pemText) {
    return first(pemText).getSerialNumber();
  }

  /** The first certificate in PEM text. */
  public static X509Certificate first(String pemText) {
    int begin = pemText.indexOf("-----BEGIN CERTIFICATE-----");
    int end = pemText.indexOf("-----END CERTIFICATE-----");
    if (begin < 0 || end < 0) {
      throw new AssertionError("no certificate in: " + pemText);
    }
    String pem = pemText.substring(begin, end + "-----END CERTIFICATE-----".length());
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + " (.ci/run installs openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Writes {@code text} to a file in the directory. */
  public Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
