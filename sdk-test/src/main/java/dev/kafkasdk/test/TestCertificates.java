package dev.kafkasdk.test;

import dev.kafkasdk.test.internal.CertificateAuthority;

/**
 * Certificates for TLS tests, made in memory.
 *
 * <p>A client that trusts only {@link #unrelatedCaPem()} must fail the TLS handshake with a cluster
 * started with {@link Security#SSL} or {@link Security#SASL_SSL}:
 *
 * <pre>{@code
 * Map<String, Object> config = kafka.clientProperties("alice");
 * config.put("ssl.truststore.certificates", TestCertificates.unrelatedCaPem());
 * // connecting fails with SslAuthenticationException
 * }</pre>
 */
public final class TestCertificates {
  private TestCertificates() {}

  /**
   * Generates a new self-signed CA that has signed nothing any cluster uses.
   *
   * @return the CA certificate as a PEM {@code CERTIFICATE} block
   */
  public static String unrelatedCaPem() {
    return CertificateAuthority.generate("unrelated test CA").certificatePem();
  }
}
