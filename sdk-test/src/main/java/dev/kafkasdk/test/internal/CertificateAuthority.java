package dev.kafkasdk.test.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives only in memory: a self-signed CA certificate and the server
 * certificates it issues, all as PEM text that Kafka reads from configuration ({@code
 * ssl.keystore.type=PEM}, KIP-651), so a test cluster needs no keystore files.
 *
 * <p>Keys are EC P-256: generated in milliseconds, unlike RSA, and accepted by every TLS version
 * Kafka enables. Certificates are valid from one hour ago (clock skew) for one day.
 */
public final class CertificateAuthority {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /**
   * Generates a new self-signed CA.
   *
   * @param commonName the CA's common name, e.g. {@code kafka-sdk test CA}
   * @return the CA
   */
  public static CertificateAuthority generate(String commonName) {
    try {
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          newBuilder(name, name, keys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys, sign(builder, keys.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not generate a test CA: " + e, e);
    }
  }

  /**
   * Issues a server (and client) certificate for the given host names and IP addresses, which go
   * into the subject alternative names that hostname verification checks.
   *
   * @param commonName the subject's common name
   * @param dnsNames host names, e.g. {@code localhost}
   * @param ipAddresses IP addresses, e.g. {@code 127.0.0.1}
   * @return the key and certificate chain as PEM
   */
  public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses) {
    try {
      KeyPair leafKeys = newKeyPair();
      GeneralName[] names = new GeneralName[dnsNames.size() + ipAddresses.size()];
      int i = 0;
      for (String dns : dnsNames) {
        names[i++] = new GeneralName(GeneralName.dNSName, dns);
      }
      for (String ip : ipAddresses) {
        names[i++] = new GeneralName(GeneralName.iPAddress, ip);
      }
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          newBuilder(
                  X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                  new X500Name("CN=" + commonName),
                  leafKeys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(builder, keys.getPrivate());
      return new Issued(pem(leaf) + pem(certificate), pkcs8Pem(leafKeys.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not issue a test certificate: " + e, e);
    }
  }

  /**
   * Returns the CA certificate, the one clients must trust.
   *
   * @return a PEM {@code CERTIFICATE} block
   */
  public String certificatePem() {
    return pem(certificate);
  }

  /**
   * A certificate chain (leaf first, then the CA) and its unencrypted PKCS#8 private key.
   *
   * @param certificateChainPem PEM certificates
   * @param privateKeyPem PEM {@code PRIVATE KEY}
   */
  public record Issued(String certificateChainPem, String privateKeyPem) {
    @Override
    public String toString() {
      return "Issued[certificate chain, private key hidden]";
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder newBuilder(
      X500Name issuer, X500Name subject, KeyPair subjectKeys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
    X509CertificateHolder holder = builder.build(signer);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String pem(X509Certificate certificate) {
    return writePem(certificate);
  }

  private static String pkcs8Pem(PrivateKey key) {
    try {
      return writePem(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String writePem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
