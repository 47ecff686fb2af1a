package dev.kafkasdk.apicheck;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.core.KafkaSdkException;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.spring.KafkaSdkRunners;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.topics.TopicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A published SDK module, found through one of its classes, with the packages that are its API: the
 * unqualified exports of its module-info.class, or, for a module without one (the test kit), every
 * package without an {@code internal} segment.
 */
enum PublishedModule {
  CORE("sdk-core", KafkaSdkException.class),
  PRODUCER("sdk-producer", ReliableProducer.class),
  CONSUMER("sdk-consumer", ConsumerRunner.class),
  TOPICS("sdk-topics", TopicSpec.class),
  SPRING_BOOT_STARTER("sdk-spring-boot-starter", KafkaSdkRunners.class),
  TEST_KIT("sdk-test", KafkaCluster.class);

  private final String artifactId;
  private final Class<?> anchor;

  PublishedModule(String artifactId, Class<?> anchor) {
    this.artifactId = artifactId;
    this.anchor = anchor;
  }

  String artifactId() {
    return artifactId;
  }

  ClassLoader loader() {
    return anchor.getClassLoader();
  }

  /** Binary names of the top-level classes in the module's API packages, sorted. */
  List<String> apiClassNames() {
    Set<String> apiPackages = apiPackages();
    return classEntries().stream()
        .filter(entry -> !entry.contains("$") && !entry.endsWith("module-info.class"))
        .filter(entry -> !entry.endsWith("package-info.class"))
        .map(entry -> entry.substring(0, entry.length() - ".class".length()).replace('/', '.'))
        .filter(name -> apiPackages.contains(name.substring(0, name.lastIndexOf('.'))))
        .sorted()
        .collect(Collectors.toList());
  }

  private Set<String> apiPackages() {
    byte[] descriptor = read("module-info.class");
    Set<String> packages = new TreeSet<>();
    if (descriptor != null) {
      for (ModuleDescriptor.Exports export :
          ModuleDescriptor.read(java.nio.ByteBuffer.wrap(descriptor)).exports()) {
        if (!export.isQualified()) {
          packages.add(export.source());
        }
      }
      return packages;
    }
    for (String entry : classEntries()) {
      int slash = entry.lastIndexOf('/');
      String pkg = slash < 0 ? "" : entry.substring(0, slash).replace('/', '.');
      if (!pkg.isEmpty() && !List.of(pkg.split("\\.")).contains("internal")) {
        packages.add(pkg);
      }
    }
    return packages;
  }

  /** The module's .class entries as paths relative to its root, with '/' separators. */
  private List<String> classEntries() {
    Path location = location();
    List<String> entries = new ArrayList<>();
    try {
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files
              .filter(p -> p.toString().endsWith(".class"))
              .forEach(p -> entries.add(location.relativize(p).toString().replace('\\', '/')));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream()
              .map(java.util.jar.JarEntry::getName)
              .filter(name -> name.endsWith(".class"))
              .forEach(entries::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private byte[] read(String entry) {
    Path location = location();
    try {
      if (Files.isDirectory(location)) {
        Path file = location.resolve(entry);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
      }
      try (JarFile jar = new JarFile(location.toFile())) {
        var found = jar.getEntry(entry);
        if (found == null) {
          return null;
        }
        try (InputStream in = jar.getInputStream(found)) {
          return in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path location() {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + artifactId, e);
    }
  }
}
