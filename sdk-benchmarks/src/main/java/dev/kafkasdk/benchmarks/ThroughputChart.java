package dev.kafkasdk.benchmarks;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the I/O-bound scenario as throughput against worker count, one line per variant family
 * (variants whose trials carry a {@code workers} figure), plus the ideal. The peer libraries'
 * variants ({@link #PEER_FAMILIES}) are drawn beside the SDK's at their own worker (concurrency)
 * counts, dashed and labelled "(peer)", so the reader tells them apart at a glance.
 */
final class ThroughputChart {
  static final String SCENARIO = "io-bound";

  /**
   * Name prefixes of the peer libraries' variant families: Spring Kafka's container, and {@code
   * pc-} for Confluent's Parallel Consumer should it run here again.
   */
  static final List<String> PEER_FAMILIES = List.of("spring-kafka", "pc-");

  private ThroughputChart() {}

  static void write(Path file, List<ScenarioResult> results) throws IOException {
    ScenarioResult io =
        results.stream().filter(r -> r.scenario.name().equals(SCENARIO)).findFirst().orElse(null);
    if (io == null) {
      return;
    }
    XYSeriesCollection data = series(io);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "I/O-bound handler (5 ms/record): throughput vs workers",
            "workers",
            "records/s",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    LogAxis workersAxis = new LogAxis("workers (log scale)");
    workersAxis.setBase(2);
    plot.setDomainAxis(workersAxis);
    // Markers, so single-point families (thread-per-partition) are visible too.
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer =
        new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      if (isPeer(String.valueOf(data.getSeriesKey(i)))) {
        renderer.setSeriesStroke(
            i,
            new BasicStroke(
                2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
      }
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
  }

  /**
   * The chart's lines: one per variant family (the name without its worker count), SDK and peers
   * alike, peers' names ending in "(peer)", then the ideal.
   */
  static XYSeriesCollection series(ScenarioResult io) {
    Map<String, XYSeries> families = new TreeMap<>();
    XYSeries ideal = new XYSeries("ideal (workers / per-record time, capped)");
    for (Variant variant : io.variants()) {
      double workers = io.medianExtra(variant.name(), "workers");
      if (Double.isNaN(workers)) {
        continue;
      }
      String family = variant.name().replaceAll("-\\d+$", "");
      if (isPeer(family)) {
        family += " (peer)";
      }
      families.computeIfAbsent(family, XYSeries::new).add(workers, io.median(variant.name()));
      ideal.addOrUpdate(workers, io.scenario.computedBaseline(variant.name()));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    families.values().forEach(data::addSeries);
    data.addSeries(ideal);
    return data;
  }

  /** Whether a variant family (or series name) is a peer library's. */
  static boolean isPeer(String family) {
    return PEER_FAMILIES.stream().anyMatch(family::startsWith);
  }
}
