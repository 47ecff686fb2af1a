package dev.kafkasdk.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

/**
 * Every order's handler call runs in the trace of the checkout that sent it, on a runner worker
 * thread, and the trace has the checkout, send and process spans.
 */
@KafkaTest
class TracingExampleTest {
  @Test
  void theHandlerRunsInTheCheckoutsTrace(KafkaCluster kafka) throws Exception {
    TracingExample.Result result = TracingExample.run(kafka, 10);

    assertThat(result.orders()).hasSize(10);
    for (TracingExample.OrderTrace order : result.orders()) {
      assertThat(order.checkoutTraceId()).as(order.order()).isNotNull();
      assertThat(order.handlerTraceId()).as(order.order()).isEqualTo(order.checkoutTraceId());
      assertThat(order.handlerThread()).contains("orders");
    }
    assertThat(result.orders())
        .extracting(TracingExample.OrderTrace::checkoutTraceId)
        .doesNotHaveDuplicates();
    assertThat(result.spanNames()).contains("checkout", "process " + topicOf(result));
  }

  private static String topicOf(TracingExample.Result result) {
    return result.spanNames().stream()
        .filter(name -> name.startsWith("process "))
        .findFirst()
        .orElseThrow()
        .substring("process ".length());
  }
}
