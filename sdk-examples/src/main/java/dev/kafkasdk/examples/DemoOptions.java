package dev.kafkasdk.examples;

import dev.kafkasdk.consumer.Ordering;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's command-line options.
 *
 * @param records orders to produce ({@code --records}, default 20000)
 * @param producers producer threads ({@code --producers}, default 4)
 * @param workers worker threads of the runner ({@code --workers}, default 8)
 * @param ordering ordering mode of the runner ({@code --ordering}, default {@code KEY})
 * @param partitions partitions of the orders and results topics ({@code --partitions}, default 6)
 * @param customers distinct keys ({@code --customers}, default 200)
 * @param poison records among the orders that are not orders at all ({@code --poison}, default 5):
 *     the runner's deserializer rejects them and they must end up in the dead-letter topic
 * @param bootstrap an external cluster ({@code --bootstrap host:port}); empty for the embedded one
 */
public record DemoOptions(
    int records,
    int producers,
    int workers,
    Ordering ordering,
    int partitions,
    int customers,
    int poison,
    Optional<String> bootstrap) {

  /** The usage text printed for {@code --help} and for invalid options. */
  public static final String USAGE =
      "options: [--records N] [--producers N] [--workers N] [--ordering KEY|PARTITION|UNORDERED]"
          + " [--partitions N] [--customers N] [--poison N] [--bootstrap host:port]";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a count is out of range
   */
  public DemoOptions {
    positive("--records", records);
    positive("--producers", producers);
    positive("--workers", workers);
    positive("--partitions", partitions);
    positive("--customers", customers);
    if (poison < 0) {
      throw new IllegalArgumentException("--poison must be at least 0, not " + poison);
    }
    if (customers < producers) {
      throw new IllegalArgumentException(
          "--customers must be at least --producers: each producer thread owns its customers");
    }
  }

  /**
   * Returns the defaults.
   *
   * @return 20000 records, 4 producers, 8 workers, KEY ordering, 6 partitions, 200 customers, 5
   *     poison records, embedded cluster
   */
  public static DemoOptions defaults() {
    return new DemoOptions(20_000, 4, 8, Ordering.KEY, 6, 200, 5, Optional.empty());
  }

  /**
   * Parses {@code --name value} pairs over the defaults.
   *
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException for an unknown option, a missing value or an invalid number
   */
  public static DemoOptions parse(String... args) {
    DemoOptions d = defaults();
    int records = d.records;
    int producers = d.producers;
    int workers = d.workers;
    Ordering ordering = d.ordering;
    int partitions = d.partitions;
    int customers = d.customers;
    int poison = d.poison;
    Optional<String> bootstrap = d.bootstrap;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (name) {
        case "--records" -> records = number(name, value);
        case "--producers" -> producers = number(name, value);
        case "--workers" -> workers = number(name, value);
        case "--ordering" -> ordering = Ordering.valueOf(value.toUpperCase(Locale.ROOT));
        case "--partitions" -> partitions = number(name, value);
        case "--customers" -> customers = number(name, value);
        case "--poison" -> poison = number(name, value);
        case "--bootstrap" -> bootstrap = Optional.of(value);
        default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
      }
    }
    return new DemoOptions(
        records, producers, workers, ordering, partitions, customers, poison, bootstrap);
  }

  /**
   * Returns whether the chosen ordering promises that each key's orders are processed in order.
   *
   * @return true for {@code KEY} and {@code PARTITION}
   */
  public boolean promisesKeyOrder() {
    return ordering != Ordering.UNORDERED;
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
  }
}
