package dev.kafkasdk.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed Grafana dashboard works against what the SDK really exposes: every metric that any
 * of its queries (panel {@code expr}s and variable definitions) names appears as a sample in a real
 * Prometheus scrape of {@link PrometheusExample}, with the {@code runner} or {@code client} label
 * the dashboard's variables select on.
 */
@KafkaTest
class PrometheusExampleTest {
  private static final Path DASHBOARD = Path.of("..", "docs", "dashboards", "ksdk-overview.json");
  private static final Pattern QUERY =
      Pattern.compile("\"(expr|definition)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  // A metric in a selector (name{...}) or as the first argument of label_values(...).
  private static final Pattern METRIC =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{|label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

  @Test
  void everyMetricTheDashboardQueriesIsInTheScrape(KafkaCluster kafka) throws Exception {
    Set<String> queried = dashboardMetrics();
    assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(10);

    String scrape;
    try (PrometheusExample example = PrometheusExample.start(kafka, 0)) {
      int expected = example.sendOrders(40);
      await().atMost(Duration.ofSeconds(60)).until(() -> example.processed() >= expected);
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(example.metricsUri()).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      scrape = response.body();
    }

    List<String> missing = new ArrayList<>();
    for (String metric : queried) {
      String label =
          metric.startsWith("ksdk_producer_") ? "client=\"orders-producer\"" : "runner=\"orders\"";
      boolean present =
          scrape.lines().anyMatch(line -> line.startsWith(metric + "{") && line.contains(label));
      if (!present) {
        missing.add(metric + " with " + label);
      }
    }
    assertThat(missing).as("queried by the dashboard but not in the scrape").isEmpty();
    assertThat(sample(scrape, "ksdk_consumer_records_total", "outcome=\"success\""))
        .as("the scrape reflects the run: 39 orders processed")
        .isEqualTo(39.0);
  }

  private static Set<String> dashboardMetrics() throws Exception {
    String json = Files.readString(DASHBOARD);
    Set<String> metrics = new TreeSet<>();
    Matcher query = QUERY.matcher(json);
    int queries = 0;
    while (query.find()) {
      queries++;
      String expr = query.group(2).replace("\\\"", "\"");
      Matcher metric = METRIC.matcher(expr);
      int found = 0;
      while (metric.find()) {
        metrics.add(metric.group(1) != null ? metric.group(1) : metric.group(2));
        found++;
      }
      assertThat(found).as("metrics named by the query " + expr).isPositive();
    }
    assertThat(queries).as("queries in the dashboard").isPositive();
    return metrics;
  }

  private static double sample(String scrape, String metric, String label) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(metric + "{") && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
