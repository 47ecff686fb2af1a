package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The I/O-bound chart draws the peers beside the SDK; no Kafka involved. */
class ThroughputChartTest {

  /** The io-bound variant names with made-up medians, as a real run would name them. */
  private static final class IoNames extends StubScenario {
    IoNames() {
      super(
          ThroughputChart.SCENARIO,
          List.of(
              new Variant("thread-per-partition", false, round -> null),
              new Variant("multi-worker-key-16", false, round -> null),
              new Variant("multi-worker-key-64", false, round -> null),
              new Variant("spring-kafka", false, round -> null)));
    }

    @Override
    public double computedBaseline(String variant) {
      return variant.endsWith("-64") ? 12_800 : 2_400;
    }
  }

  private static Trial trial(double value, int workers) {
    return new Trial(value, "records/s", Map.of("workers", (double) workers));
  }

  @Test
  void thePeerIsALineOfItsOwnAtItsConcurrencyBesideTheSdk(@TempDir Path dir) throws Exception {
    ScenarioResult io = new ScenarioResult(new IoNames());
    io.add("thread-per-partition", trial(2_350, 12));
    io.add("multi-worker-key-16", trial(3_100, 16));
    io.add("multi-worker-key-64", trial(12_500, 64));
    io.add("spring-kafka", trial(2_300, 12));

    XYSeriesCollection data = ThroughputChart.series(io);

    List<String> names = new ArrayList<>();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      names.add(String.valueOf(data.getSeriesKey(i)));
    }
    assertThat(names)
        .containsExactly(
            "multi-worker-key",
            "spring-kafka (peer)",
            "thread-per-partition",
            "ideal (workers / per-record time, capped)");
    XYSeries peer = data.getSeries("spring-kafka (peer)");
    assertThat(peer.getItemCount()).isEqualTo(1);
    assertThat(peer.getX(0).doubleValue()).isEqualTo(12);
    assertThat(peer.getY(0).doubleValue()).isEqualTo(2_300);
    assertThat(data.getSeries("multi-worker-key").getItemCount()).isEqualTo(2);

    Path png = dir.resolve("chart.png");
    ThroughputChart.write(png, List.of(io));
    assertThat(Files.size(png)).isPositive();
  }
}
