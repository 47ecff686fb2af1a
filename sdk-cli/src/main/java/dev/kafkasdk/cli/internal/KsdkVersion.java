package dev.kafkasdk.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code ksdk --version}: the SDK version, filtered into ksdk-version.properties at build time. */
public final class KsdkVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "ksdk " + version(), "Java " + System.getProperty("java.version"),
    };
  }

  /**
   * The SDK version this tool was built from.
   *
   * @return for example {@code 0.1.0-SNAPSHOT}, or {@code unknown} if the resource is missing
   */
  public static String version() {
    try (InputStream in = KsdkVersion.class.getResourceAsStream("ksdk-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
