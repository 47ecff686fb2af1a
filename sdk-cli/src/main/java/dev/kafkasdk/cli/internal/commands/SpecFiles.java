package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.topics.TopicSpec;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Reads topic spec files: one topic per {@code .properties} file (a directory stands for the {@code
 * .properties} files in it, sorted by name). docs/cli.md, "Spec files":
 *
 * <pre>
 * topic=orders                 # required
 * preset=event-stream          # optional: event-stream, changelog or durable (TopicSpec presets)
 * partitions=12
 * replication.factor=3
 * keyed=true                   # producers rely on key-to-partition mapping
 * min.insync.replicas=2        # every other key is a topic configuration (TopicConfig)
 * retention.ms=604800000
 * </pre>
 *
 * <p>An unknown key is an error (exit 2) naming the file, so a typo never passes silently.
 */
final class SpecFiles {
  static final String TOPIC = "topic";
  static final String PRESET = "preset";
  static final String PARTITIONS = "partitions";
  static final String REPLICATION_FACTOR = "replication.factor";
  static final String KEYED = "keyed";

  private static final Set<String> TOPIC_CONFIGS = topicConfigNames();

  private SpecFiles() {}

  /**
   * Reads every spec of the given files and directories.
   *
   * @param paths files or directories
   * @return the specs, in the order given (directory entries sorted by name)
   * @throws CommandException (usage) naming the file for an unreadable file, an unknown key, a bad
   *     value or two files for one topic
   */
  static List<TopicSpec> read(List<Path> paths) {
    List<TopicSpec> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path path : expand(paths)) {
      TopicSpec spec = readOne(path);
      if (!names.add(spec.name())) {
        throw CommandException.usage(path + ": topic " + spec.name() + " is declared twice");
      }
      specs.add(spec);
    }
    return specs;
  }

  private static List<Path> expand(List<Path> paths) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> entries = Files.list(path)) {
          entries
              .filter(p -> p.getFileName().toString().endsWith(".properties"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw CommandException.usage("cannot list " + path + ": " + e.getMessage());
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  static TopicSpec readOne(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw CommandException.usage("cannot read spec file " + path + ": " + e);
    }
    String name = properties.getProperty(TOPIC);
    if (name == null || name.isBlank()) {
      throw CommandException.usage(path + ": no topic=<name> line");
    }
    name = name.trim();
    TopicSpec.Builder builder = preset(path, name, properties.getProperty(PRESET));
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(key).trim();
      switch (key) {
        case TOPIC, PRESET -> {
          // read above
        }
        case PARTITIONS -> builder.partitions(integer(path, key, value));
        case REPLICATION_FACTOR -> builder.replicationFactor(integer(path, key, value));
        case KEYED -> builder.keyed(bool(path, key, value));
        default -> {
          if (!TOPIC_CONFIGS.contains(key)) {
            throw CommandException.usage(
                path
                    + ": unknown key '"
                    + key
                    + "'; use topic, preset, partitions, replication.factor, keyed or a topic"
                    + " configuration such as retention.ms");
          }
          builder.config(key, value);
        }
      }
    }
    try {
      return builder.build();
    } catch (SdkConfigException e) {
      throw CommandException.usage(path + ": " + e.getMessage());
    }
  }

  private static TopicSpec.Builder preset(Path path, String name, String preset) {
    if (preset == null || preset.isBlank()) {
      return TopicSpec.builder(name);
    }
    return switch (preset.trim().toLowerCase(Locale.ROOT)) {
      case "event-stream" -> TopicSpec.eventStream(name);
      case "changelog" -> TopicSpec.changelog(name);
      case "durable" -> TopicSpec.durable(name);
      default ->
          throw CommandException.usage(
              path + ": preset '" + preset + "' is not event-stream, changelog or durable");
    };
  }

  private static int integer(Path path, String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw CommandException.usage(path + ": " + key + "=" + value + " is not a whole number");
    }
  }

  private static boolean bool(Path path, String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw CommandException.usage(path + ": " + key + "=" + value + " is not true or false");
    };
  }

  /** The topic configuration keys Kafka's clients know: every {@code *_CONFIG} of TopicConfig. */
  private static Set<String> topicConfigNames() {
    Set<String> names = new HashSet<>();
    for (Field field : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && field.getName().endsWith("_CONFIG")) {
        try {
          names.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Set.copyOf(names);
  }
}
