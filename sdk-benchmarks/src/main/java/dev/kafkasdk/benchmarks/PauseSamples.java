package dev.kafkasdk.benchmarks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often an SDK runner had partitions paused, sampled from its {@code
 * ksdk.consumer.partitions.paused} and {@code ksdk.consumer.in.flight} gauges (docs/metrics.md)
 * each time the benchmark's waiting thread wakes (every half millisecond or so). A paused partition
 * is not fetched, so a runner that pauses often lets its fetch pipeline run dry; the share of
 * samples with a pause does not depend on how busy the machine is the way a rate does.
 */
final class PauseSamples {
  private final MeterRegistry registry;
  private final Map<String, Collection<Gauge>> gauges = new HashMap<>();
  private long samples;
  private long pausedSamples;
  private double pausedPartitions;
  private double inFlightMax;

  PauseSamples(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Reads the gauges once (summed over the runner's consumers). */
  void sample() {
    double paused = sum("ksdk.consumer.partitions.paused");
    double inFlight = sum("ksdk.consumer.in.flight");
    add(paused, inFlight);
  }

  void add(double paused, double inFlight) {
    samples++;
    if (paused > 0) {
      pausedSamples++;
    }
    pausedPartitions += paused;
    inFlightMax = Math.max(inFlightMax, inFlight);
  }

  private double sum(String gauge) {
    // Looked up once they exist, not on every wake: the lookup would add to the trial's CPU.
    Collection<Gauge> found = gauges.computeIfAbsent(gauge, name -> registry.find(name).gauges());
    if (found.isEmpty()) {
      gauges.remove(gauge);
    }
    double sum = 0;
    for (Gauge each : found) {
      sum += each.value();
    }
    return sum;
  }

  /**
   * {@code paused_share} (of samples with at least one partition paused), {@code paused_avg}
   * (partitions paused, mean over samples) and {@code in_flight_max}; NaN without samples.
   */
  Map<String, Double> figures() {
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("paused_share", samples == 0 ? Double.NaN : (double) pausedSamples / samples);
    figures.put("paused_avg", samples == 0 ? Double.NaN : pausedPartitions / samples);
    figures.put("in_flight_max", samples == 0 ? Double.NaN : inFlightMax);
    return figures;
  }

  /** The trial with {@link #figures()} added. */
  Trial addTo(Trial trial) {
    Trial more = trial;
    for (Map.Entry<String, Double> figure : figures().entrySet()) {
      more = more.withExtra(figure.getKey(), figure.getValue());
    }
    return more;
  }
}
