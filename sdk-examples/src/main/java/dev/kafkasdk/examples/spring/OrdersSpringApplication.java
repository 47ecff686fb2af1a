package dev.kafkasdk.examples.spring;

import dev.kafkasdk.consumer.BatchHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application on the SDK's starter, configured by {@code application.yml} next to it:
 * an annotated handler ({@link OrderEvents}, runner {@code order-events}, per-key order on four
 * workers, retries and dead letters) and a runner declared in properties only ({@code
 * kafkasdk.runners.payments}, whose handler is the bean named {@code payments}). The starter starts
 * both with the context and drains and commits them when it closes.
 *
 * <pre>{@code
 * java -cp ... dev.kafkasdk.examples.spring.OrdersSpringApplication \
 *     --kafkasdk.bootstrap-servers=localhost:9092
 * }</pre>
 */
@SpringBootApplication
public class OrdersSpringApplication {

  /** Created by Spring. */
  public OrdersSpringApplication() {}

  /**
   * Runs the application until it is stopped (Ctrl+C closes the context: the runners drain and
   * commit).
   *
   * @param args Spring Boot arguments, e.g. {@code --kafkasdk.bootstrap-servers=localhost:9092}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrdersSpringApplication.class, args);
  }

  /**
   * The handler of the properties-declared runner {@code payments}: the bean's name is the
   * runner's. A batch handler: each call gets up to {@code max-batch-size} records of one
   * partition.
   *
   * @param ledger where payments are booked
   * @return the handler
   */
  @Bean
  BatchHandler<String, String> payments(PaymentLedger ledger) {
    return records -> records.forEach(record -> ledger.book(record.key(), record.value()));
  }
}
