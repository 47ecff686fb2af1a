package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The per-trial fetch and pause figures of {@code consumer-light} ({@link FetchCounts}, {@link
 * PauseSamples}) and which of its variants a quick run includes; no Kafka involved: the consumers'
 * MBeans are stood in for by beans with the same names and attributes.
 */
class FetchFiguresTest {

  @Test
  void figuresAreTheDifferencesBetweenTwoReadings() {
    FetchCounts.Totals before = new FetchCounts.Totals(10, 5_000, 600_000, 3.0);
    FetchCounts.Totals after = new FetchCounts.Totals(110, 105_000, 12_888_000, 4.5);

    Map<String, Double> figures = FetchCounts.figures(before, after);

    assertThat(figures.get("fetches/1M_rec")).isCloseTo(1_000.0, within(1e-9));
    assertThat(figures.get("rec/fetch")).isCloseTo(1_000.0, within(1e-9));
    assertThat(figures.get("kb/fetch")).isCloseTo(120.0, within(1e-9));
    assertThat(figures.get("fetch_latency_ms")).isEqualTo(4.5);
    assertThat(figures.get("fetches_all")).isEqualTo(110.0);
  }

  @Test
  void withoutFetchesOrRecordsInBetweenTheRatiosAreNotANumber() {
    FetchCounts.Totals same = new FetchCounts.Totals(10, 5_000, 600_000, Double.NaN);

    Map<String, Double> figures = FetchCounts.figures(same, same);

    assertThat(figures).containsEntry("fetches_all", 10.0);
    figures.remove("fetches_all");
    assertThat(figures.values()).allMatch(v -> Double.isNaN(v));
  }

  @Test
  void readsAndSumsOnlyTheTrialsOwnConsumersFromTheirMBeans() throws Exception {
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    FakeFetchManager mine0 = register(server, "group-a-0");
    FakeFetchManager mine1 = register(server, "consumer-group-a-1");
    FakeFetchManager other = register(server, "group-b-0");
    // A per-topic bean of one of the trial's consumers: it must not count twice.
    server.registerMBean(
        new FakeFetchManager(),
        new ObjectName(FetchCounts.FETCH_MANAGER + ",client-id=group-a-0,topic=t"));

    FetchCounts counts = FetchCounts.start(server, "group-a");
    mine0.fetch(3, 1_500, 150_000, 2.0);
    mine1.fetch(1, 500, 50_000, 4.0);
    other.fetch(1_000, 1, 1, 99.0);
    Map<String, Double> extra = counts.addTo(new Trial(1, "records/s", Map.of())).extra();

    assertThat(extra.get("fetches/1M_rec")).isCloseTo(2_000.0, within(1e-9));
    // 7 fetches each before the trial, 3 and 1 during it.
    assertThat(extra.get("fetches_all")).isEqualTo(18.0);
    assertThat(extra.get("rec/fetch")).isCloseTo(500.0, within(1e-9));
    assertThat(extra.get("kb/fetch")).isCloseTo(200_000 / 4.0 / 1024, within(1e-9));
    assertThat(extra.get("fetch_latency_ms")).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void pauseFiguresAreSharesAndMeansOverSamplesAndTheLargestInFlight() {
    PauseSamples samples = new PauseSamples(new SimpleMeterRegistry());
    assertThat(samples.figures().values()).allMatch(v -> Double.isNaN(v));

    samples.add(0, 100);
    samples.add(2, 5_000);
    samples.add(1, 4_000);
    samples.add(0, 10);

    assertThat(samples.figures())
        .containsEntry("paused_share", 0.5)
        .containsEntry("paused_avg", 0.75)
        .containsEntry("in_flight_max", 5_000.0);
  }

  @Test
  void pauseSamplesReadTheRunnersGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger paused = new AtomicInteger(3);
    AtomicInteger inFlight = new AtomicInteger(700);
    registry.gauge("ksdk.consumer.partitions.paused", paused);
    registry.gauge("ksdk.consumer.in.flight", inFlight);
    PauseSamples samples = new PauseSamples(registry);

    samples.sample();
    paused.set(0);
    inFlight.set(900);
    samples.sample();

    assertThat(samples.figures())
        .containsEntry("paused_share", 0.5)
        .containsEntry("paused_avg", 1.5)
        .containsEntry("in_flight_max", 900.0);
  }

  @Test
  void deepVariantsRunInFullModeAndInQuickModeOnlyWhenNamed() {
    LightConsumerScenario quick = new LightConsumerScenario(null, new BenchSettings(true, 2));
    List<String> deep =
        List.of(
            "multi-worker-partition-deep", "multi-worker-key-deep", "multi-worker-unordered-deep");
    for (String name : deep) {
      Variant variant = variant(quick, name);
      assertThat(BenchmarkMain.selected(quick, variant, Set.of(), true)).as(name).isFalse();
      assertThat(BenchmarkMain.selected(quick, variant, Set.of(name), true)).as(name).isTrue();
      assertThat(BenchmarkMain.selected(quick, variant, Set.of(), false)).as(name).isTrue();
      assertThat(quick.comparedWith(name))
          .as(name)
          .contains(name.substring(0, name.length() - "-deep".length()));
      assertThat(quick.alsoComparedWith(name)).as(name).contains("raw-worker-pool");
    }
    Variant partition = variant(quick, "multi-worker-partition");
    assertThat(BenchmarkMain.selected(quick, partition, Set.of(), true)).isTrue();
    assertThat(BenchmarkMain.selected(quick, partition, Set.of("raw-worker-pool"), true)).isFalse();
  }

  @Test
  void deepLimitsCoverTheWholeTrial() {
    // Quick and full record counts: nothing a trial polls can reach the limits.
    assertThat(LightConsumerScenario.deepLimit(1_000_000)).isEqualTo(1_000_000);
    assertThat(LightConsumerScenario.deepLimit(2_000_000)).isEqualTo(2_000_000);
  }

  private static Variant variant(Scenario scenario, String name) {
    return scenario.variants().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static FakeFetchManager register(MBeanServer server, String clientId) throws Exception {
    FakeFetchManager bean = new FakeFetchManager();
    server.registerMBean(
        bean, new ObjectName(FetchCounts.FETCH_MANAGER + ",client-id=" + clientId));
    return bean;
  }

  /** Stands in for a consumer's fetch-manager metrics bean: the attributes Kafka names them by. */
  static final class FakeFetchManager implements DynamicMBean {
    private double fetches = 7;
    private double records = 1_000;
    private double bytes = 100_000;
    private double latency = Double.NaN;

    void fetch(int count, int recordCount, int byteCount, double latencyMs) {
      fetches += count;
      records += recordCount;
      bytes += byteCount;
      latency = latencyMs;
    }

    @Override
    public Object getAttribute(String attribute) {
      return switch (attribute) {
        case "fetch-total" -> fetches;
        case "records-consumed-total" -> records;
        case "bytes-consumed-total" -> bytes;
        case "fetch-latency-avg" -> latency;
        default -> throw new IllegalArgumentException(attribute);
      };
    }

    @Override
    public void setAttribute(Attribute attribute) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
      AttributeList list = new AttributeList();
      for (String name : attributes) {
        list.add(new Attribute(name, getAttribute(name)));
      }
      return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MBeanInfo getMBeanInfo() {
      return new MBeanInfo(getClass().getName(), "fake", null, null, null, null);
    }
  }
}
