package dev.kafkasdk.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * A child-first class loader for a peer library that cannot run on this module's kafka-clients: the
 * packages it names (the peer, its own kafka-clients, its adapter) are loaded from its own jars,
 * everything else (the JDK, SLF4J, Micrometer, compression codecs, and the benchmark's {@link
 * IsolatedPeer} and {@link RecordSink}) from the benchmark's class path, so the two sides share
 * those types. Confluent's Parallel Consumer 0.5.3.x needs kafka-clients internals that 4.4.0 moved
 * (docs/benchmarks.md, "Against other libraries"); with this loader it runs on kafka-clients 4.3.x
 * beside the SDK on 4.4.0, against the same broker.
 */
final class PeerClassLoader extends URLClassLoader {
  private final List<String> childFirst;

  private PeerClassLoader(String name, URL[] urls, List<String> childFirst) {
    super(name, urls, PeerClassLoader.class.getClassLoader());
    this.childFirst = childFirst;
  }

  /**
   * The loader of the jars in {@code target/peer-libs/<name>} (copied there by the build) and of
   * the adapter package {@code adapterPackage} from this module's classes.
   *
   * @throws IllegalStateException if the jars are missing (build the module with Maven first)
   */
  static PeerClassLoader of(String name, String adapterPackage, List<String> childFirstPackages) {
    try {
      Path classes =
          Path.of(
              PeerClassLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path jars = classes.resolveSibling("peer-libs").resolve(name);
      if (!Files.isDirectory(jars)) {
        throw new IllegalStateException(
            "no " + jars + ": build sdk-benchmarks with Maven (it copies the peer's jars there)");
      }
      List<URL> urls = new ArrayList<>();
      try (Stream<Path> files = Files.list(jars)) {
        for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(jar.toUri().toURL());
        }
      }
      urls.add(classes.toUri().toURL());
      List<String> prefixes = new ArrayList<>(childFirstPackages);
      prefixes.add(adapterPackage + ".");
      return new PeerClassLoader(name, urls.toArray(URL[]::new), List.copyOf(prefixes));
    } catch (URISyntaxException | MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (childFirst.stream().noneMatch(name::startsWith)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        loaded = findClass(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  public URL getResource(String name) {
    // The peer's own resources first (kafka-clients reads its version from kafka/...).
    URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  /**
   * Runs {@code action} with this loader as the thread's context class loader: kafka-clients loads
   * configured classes (the assignors) and UniJ its services through it, and the threads the peer
   * starts inherit it.
   */
  <T> T call(Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(this);
    try {
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
