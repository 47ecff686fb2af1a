package dev.kafkasdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The fetches a consumer trial's own Kafka consumers made over its steady part, read from the
 * consumers' fetch-manager metrics, which every {@code KafkaConsumer} registers in the platform
 * MBean server ({@code kafka.consumer:type=consumer-fetch-manager-metrics,client-id=...}, see the
 * "Consumer Fetch Metrics" of the Kafka monitoring docs). Unlike a rate, how many fetches a
 * thousand records take and how many records one fetch brings do not depend on how busy the machine
 * is: a loop that lets its fetch pipeline run dry makes more, smaller fetches.
 *
 * <p>Counts are differences of the cumulative {@code fetch-total}, {@code records-consumed-total}
 * and {@code bytes-consumed-total} between {@link #start} and {@link #addTo}, summed over the
 * consumers whose client id contains the trial's group name (the SDK's runner names its clients
 * after its group, a plain consumer's default id is {@code consumer-<group>-N}). {@code
 * fetch-latency-avg} is Kafka's windowed average (the last two 30-second samples by default), so it
 * covers the trial and a little before it.
 */
final class FetchCounts {
  static final String FETCH_MANAGER = "kafka.consumer:type=consumer-fetch-manager-metrics";

  private final MBeanServer server;
  private final String clientIdPart;
  private final Totals start;

  private FetchCounts(MBeanServer server, String clientIdPart) {
    this.server = server;
    this.clientIdPart = clientIdPart;
    this.start = totals();
  }

  /** Starts counting the fetches of the consumers whose client id contains {@code clientIdPart}. */
  static FetchCounts start(String clientIdPart) {
    return start(ManagementFactory.getPlatformMBeanServer(), clientIdPart);
  }

  static FetchCounts start(MBeanServer server, String clientIdPart) {
    return new FetchCounts(server, clientIdPart);
  }

  /**
   * Cumulative figures of the matching consumers, summed.
   *
   * @param fetches fetch responses received
   * @param records records returned by {@code poll}
   * @param bytes bytes of those records as fetched
   * @param latencyMs the mean of the consumers' {@code fetch-latency-avg} (NaN if none has one)
   */
  record Totals(double fetches, double records, double bytes, double latencyMs) {}

  Totals totals() {
    double fetches = 0;
    double records = 0;
    double bytes = 0;
    double latency = 0;
    int latencies = 0;
    try {
      for (ObjectName name :
          server.queryNames(new ObjectName(FETCH_MANAGER + ",client-id=*"), null)) {
        if (!name.getKeyProperty("client-id").contains(clientIdPart)) {
          continue;
        }
        fetches += number(name, "fetch-total");
        records += number(name, "records-consumed-total");
        bytes += number(name, "bytes-consumed-total");
        double avg = number(name, "fetch-latency-avg");
        if (!Double.isNaN(avg)) {
          latency += avg;
          latencies++;
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException("cannot read the consumers' fetch metrics", e);
    }
    return new Totals(fetches, records, bytes, latencies == 0 ? Double.NaN : latency / latencies);
  }

  private double number(ObjectName name, String attribute) throws JMException {
    Object value = server.getAttribute(name, attribute);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** The trial with the fetch figures of {@link #figures} added. */
  Trial addTo(Trial trial) {
    Trial more = trial;
    for (Map.Entry<String, Double> figure : figures(start, totals()).entrySet()) {
      more = more.withExtra(figure.getKey(), figure.getValue());
    }
    return more;
  }

  /**
   * The figures between two readings: {@code fetches/1M_rec} (fetch responses per million records
   * returned), {@code rec/fetch}, {@code kb/fetch} (uncompressed), {@code fetch_latency_ms} (of the
   * later reading) and {@code fetches_all} (the later reading's count: the consumers' fetches since
   * they were created, start-up included). With no fetch or record in between, the ratios are NaN
   * rather than infinite.
   */
  static Map<String, Double> figures(Totals before, Totals after) {
    double fetches = after.fetches() - before.fetches();
    double records = after.records() - before.records();
    double bytes = after.bytes() - before.bytes();
    Map<String, Double> figures = new LinkedHashMap<>();
    // Per million, not per thousand: consumer-light's records compress so well that a fetch
    // brings hundreds of thousands of them, and the text table prints two decimals.
    figures.put("fetches/1M_rec", records > 0 ? fetches * 1e6 / records : Double.NaN);
    figures.put("rec/fetch", fetches > 0 ? records / fetches : Double.NaN);
    figures.put("kb/fetch", fetches > 0 ? bytes / fetches / 1024 : Double.NaN);
    figures.put("fetch_latency_ms", after.latencyMs());
    figures.put("fetches_all", after.fetches());
    return figures;
  }
}
