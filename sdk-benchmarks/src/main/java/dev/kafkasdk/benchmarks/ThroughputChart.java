package dev.kafkasdk.benchmarks;

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
 * (variants whose trials carry a {@code workers} figure), plus the ideal.
 */
final class ThroughputChart {
  static final String SCENARIO = "io-bound";

  private ThroughputChart() {}

  static void write(Path file, List<ScenarioResult> results) throws IOException {
    ScenarioResult io =
        results.stream().filter(r -> r.scenario.name().equals(SCENARIO)).findFirst().orElse(null);
    if (io == null) {
      return;
    }
    Map<String, XYSeries> families = new TreeMap<>();
    XYSeries ideal = new XYSeries("ideal (workers / per-record time, capped)");
    for (Variant variant : io.variants()) {
      double workers = io.medianExtra(variant.name(), "workers");
      if (Double.isNaN(workers)) {
        continue;
      }
      String family = variant.name().replaceAll("-\\d+$", "");
      families.computeIfAbsent(family, XYSeries::new).add(workers, io.median(variant.name()));
      ideal.addOrUpdate(workers, io.scenario.computedBaseline(variant.name()));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    families.values().forEach(data::addSeries);
    data.addSeries(ideal);
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
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
  }
}
