package dev.kafkasdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RecordHandler;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ProducerBuilder;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.producer.TransactionalProducerPool;
import dev.kafkasdk.spring.internal.SdkConfigFailureAnalyzer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The beans the starter defines, and when: default and named producers, runners and their handler
 * beans, customizers, serializers by class name and by customizer, the meter registry, closing on
 * context close, and the registrations Spring Boot reads (auto-configurations, failure analyzer,
 * property metadata). No broker: producers and unstarted runners do not connect.
 */
class KafkaSdkAutoConfigurationTest {
  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaSdkAutoConfiguration.class, KafkaSdkDefaultProducerAutoConfiguration.class));

  private static final String[] ORDERS_RUNNER = {
    "kafkasdk.bootstrap-servers=localhost:9",
    "kafkasdk.runners.orders.topics=orders",
    "kafkasdk.runners.orders.group-id=orders-service",
    "kafkasdk.runners.orders.auto-startup=false"
  };

  @Test
  void withoutPropertiesThereIsTheRegistryAndNoClient() {
    contexts.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(KafkaSdkRunners.class);
          assertThat(context).doesNotHaveBean(ReliableProducer.class);
          assertThat(context).doesNotHaveBean(ConsumerRunner.class);
          assertThat(context.getBean(KafkaSdkRunners.class).names()).isEmpty();
        });
  }

  @Test
  void bootstrapServersAloneGiveTheDefaultStringProducer() {
    contexts
        .withPropertyValues("kafkasdk.bootstrap-servers=localhost:9")
        .withBean(StringProducerUser.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(ReliableProducer.class);
              assertThat(context).hasBean("kafkaSdkProducer");
              assertThat(context.getBean(StringProducerUser.class).producer)
                  .isSameAs(context.getBean("kafkaSdkProducer"));
            });
  }

  @Test
  void theApplicationsOwnProducerReplacesTheDefault() {
    contexts
        .withPropertyValues("kafkasdk.bootstrap-servers=localhost:9")
        .withBean(
            "mine",
            ReliableProducer.class,
            () ->
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers("localhost:9")
                    .build())
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(ReliableProducer.class);
              assertThat(context).hasBean("mine").doesNotHaveBean("kafkaSdkProducer");
            });
  }

  @Test
  void aNamedIdempotentProducerIsABeanOfItsNameAndReplacesTheDefault() {
    contexts
        .withPropertyValues(
            "kafkasdk.bootstrap-servers=localhost:9",
            "kafkasdk.producers.events.client-id=events-client",
            "kafkasdk.producers.events.unsafe-acks=one",
            "kafkasdk.producers.audit.client-id=audit-client")
        .withBean("qualified", QualifiedProducerUser.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBeansOfType(ReliableProducer.class))
                  .containsOnlyKeys("events", "audit");
              assertThat(context.getBean("events", ReliableProducer.class).clientId())
                  .isEqualTo("events-client");
              assertThat(context.getBean("audit", ReliableProducer.class).clientId())
                  .isEqualTo("audit-client");
              assertThat(context.getBean(QualifiedProducerUser.class).events)
                  .isSameAs(context.getBean("events"));
            });
  }

  @Test
  void aTransactionalProducerIsAPoolOfTheConfiguredSize() {
    contexts
        .withPropertyValues(
            "kafkasdk.bootstrap-servers=localhost:9",
            "kafkasdk.producers.payments.mode=transactional",
            "kafkasdk.producers.payments.transactional-id-prefix=payments-1",
            "kafkasdk.producers.payments.pool-size=3",
            "kafkasdk.producers.single.mode=transactional",
            "kafkasdk.producers.single.transactional-id-prefix=single-1")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("payments", TransactionalProducerPool.class).size())
                  .isEqualTo(3);
              assertThat(context.getBean("single", TransactionalProducerPool.class).size())
                  .isEqualTo(1);
              // No ReliableProducer was configured, so the default one is there too.
              assertThat(context).hasBean("kafkaSdkProducer");
            });
  }

  @Test
  void producersCloseWithTheContext() {
    List<ReliableProducer<?, ?>> producers = new ArrayList<>();
    contexts
        .withPropertyValues(
            "kafkasdk.bootstrap-servers=localhost:9", "kafkasdk.producers.events.client-id=e")
        .run(context -> producers.add(context.getBean("events", ReliableProducer.class)));
    assertThat(producers).hasSize(1);
    assertThatThrownBy(() -> producers.get(0).send("t", null, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void producerMetersGoToTheApplicationsRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    contexts
        .withPropertyValues(
            "kafkasdk.bootstrap-servers=localhost:9",
            "kafkasdk.producers.events.client-id=events-client")
        .withBean(SimpleMeterRegistry.class, () -> registry)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      registry
                          .find(dev.kafkasdk.producer.ProducerMeters.SEND)
                          .tag(dev.kafkasdk.producer.ProducerMeters.TAG_CLIENT, "events-client")
                          .meters())
                  .as("the SDK's send timers in the application's registry")
                  .isNotEmpty();
            });
  }

  @Test
  void aRunnerIsABeanWithTheHandlerOfItsNameInTheRegistry() {
    List<ConsumerRunner<?, ?>> runners = new ArrayList<>();
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ConsumerRunner<?, ?> runner = context.getBean("ordersRunner", ConsumerRunner.class);
              assertThat(runner.name()).isEqualTo("orders");
              KafkaSdkRunners registry = context.getBean(KafkaSdkRunners.class);
              assertThat(registry.names()).containsExactly("orders");
              assertThat(registry.runner("orders")).containsSame(runner);
              assertThat(registry.runner("other")).isEmpty();
              // auto-startup=false: the context started, the runner did not.
              assertThat(runner.state()).isEqualTo(ConsumerRunner.State.NEW);
              runners.add(runner);
            });
    assertThat(runners.get(0).state()).isEqualTo(ConsumerRunner.State.STOPPED);
  }

  @Test
  void aBatchHandlerBeanIsUsedAsTheBatchHandler() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", BatchHandler.class, () -> records -> {})
        .run(context -> assertThat(context).hasNotFailed().hasBean("ordersRunner"));
  }

  @Test
  void aMissingHandlerBeanFailsTheStartNamingTheRunner() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .run(
            context ->
                assertThat(analysis(context.getStartupFailure()))
                    .contains("runner 'orders'", "kafkasdk.runners.orders")
                    .contains("no bean is named 'orders'")
                    .contains("declare a RecordHandler or BatchHandler bean named 'orders'"));
  }

  @Test
  void aHandlerBeanOfAnotherTypeFailsTheStart() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", String.class, () -> "not a handler")
        .run(
            context ->
                assertThat(analysis(context.getStartupFailure()))
                    .contains("the bean 'orders' is a java.lang.String, not a handler"));
  }

  @Test
  void aHandlerBeanThatIsBothKindsIsAmbiguous() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", BothHandlers.class)
        .run(
            context ->
                assertThat(analysis(context.getStartupFailure()))
                    .contains("is both a RecordHandler and a BatchHandler"));
  }

  @Test
  void customizersSeeEveryClientByNameBeforeBuild() {
    List<String> seen = new CopyOnWriteArrayList<>();
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withPropertyValues(
            "kafkasdk.producers.events.client-id=e",
            "kafkasdk.producers.payments.mode=transactional",
            "kafkasdk.producers.payments.transactional-id-prefix=p")
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .withBean(
            RunnerBuilderCustomizer.class, () -> (name, builder) -> seen.add("runner " + name))
        .withBean(
            ProducerBuilderCustomizer.class,
            () ->
                (name, builder) ->
                    seen.add(
                        "producer "
                            + name
                            + (builder instanceof TransactionalProducer.Builder<?, ?>
                                ? " transactional"
                                : " idempotent")))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(seen)
                  .containsExactlyInAnyOrder(
                      "runner orders",
                      "producer events idempotent",
                      "producer payments transactional");
            });
  }

  @Test
  void aCustomizerRunsBeforeBuildSoTheBuilderJudgesWhatItSet() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .withBean(RunnerBuilderCustomizer.class, () -> (name, builder) -> builder.maxInFlight(0))
        .run(
            context ->
                assertThat(analysis(context.getStartupFailure()))
                    .contains("runner 'orders'", "Invalid setting 'maxInFlight'"));
  }

  @Test
  void deserializerAndSerializerClassesAreCreatedAndConfiguredWithTheClientsProperties() {
    RecordingDeserializer.configured.clear();
    RecordingSerializer.configured.clear();
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withPropertyValues(
            "kafkasdk.properties.shared.setting=s",
            "kafkasdk.runners.orders.properties.own.setting=o",
            "kafkasdk.runners.orders.key-deserializer=" + RecordingDeserializer.class.getName(),
            "kafkasdk.runners.orders.value-deserializer=" + RecordingDeserializer.class.getName(),
            "kafkasdk.producers.events.properties.own.setting=p",
            "kafkasdk.producers.events.value-serializer=" + RecordingSerializer.class.getName())
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(RecordingDeserializer.configured)
                  .containsExactly(
                      "key shared.setting=s own.setting=o", "value shared.setting=s own.setting=o");
              assertThat(RecordingSerializer.configured)
                  .containsExactly("value shared.setting=s own.setting=p");
            });
  }

  @Test
  void aCustomizersSerdeInstanceWinsOverTheProperty() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withPropertyValues(
            // Both classes fail when created: only the customizers' instances may be used.
            "kafkasdk.runners.orders.value-deserializer=" + Unconstructible.class.getName(),
            "kafkasdk.producers.events.value-serializer=" + Unconstructible.class.getName())
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .withBean(
            RunnerBuilderCustomizer.class,
            () ->
                new RunnerBuilderCustomizer() {
                  @Override
                  public void customize(String name, ConsumerRunner.Builder<?, ?> builder) {}

                  @Override
                  public Optional<Deserializer<?>> valueDeserializer(String name) {
                    return Optional.of(new StringDeserializer());
                  }
                })
        .withBean(
            ProducerBuilderCustomizer.class,
            () ->
                new ProducerBuilderCustomizer() {
                  @Override
                  public void customize(String name, ProducerBuilder<?, ?, ?> builder) {}

                  @Override
                  public Optional<Serializer<?>> valueSerializer(String name) {
                    return Optional.of(new StringSerializer());
                  }
                })
        .run(
            context ->
                assertThat(context).hasNotFailed().hasBean("events").hasBean("ordersRunner"));
  }

  @Test
  void registeredRunnersKeepTheirOrderAndANameIsRefusedTwice() {
    contexts
        .withPropertyValues(ORDERS_RUNNER)
        .withBean("orders", RecordHandler.class, () -> record -> {})
        .run(
            context -> {
              var registrar = context.getBean(dev.kafkasdk.spring.internal.RunnerRegistrar.class);
              ConsumerRunner<?, ?> other =
                  ConsumerRunner.builder()
                      .bootstrapServers("localhost:9")
                      .groupId("g")
                      .topics("t")
                      .handler(record -> {})
                      .build();
              assertThatThrownBy(() -> registrar.register("orders", other, false))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("'orders' is registered already");
              registrar.register("zeta", other, false);
              registrar.register("alpha", other, false);
              assertThat(registrar.names()).containsExactly("orders", "zeta", "alpha");
              assertThat(registrar.runner("zeta")).containsSame(other);
              other.close();
            });
  }

  @Test
  void springBootFindsTheAutoConfigurationsAndTheFailureAnalyzer() throws Exception {
    String imports;
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      imports = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(imports.lines())
        .containsExactly(
            KafkaSdkAutoConfiguration.class.getName(),
            KafkaSdkDefaultProducerAutoConfiguration.class.getName(),
            KafkaSdkListenerAutoConfiguration.class.getName(),
            KafkaSdkHealthAutoConfiguration.class.getName());
    java.util.Properties factories = new java.util.Properties();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring.factories")) {
      factories.load(in);
    }
    assertThat(factories.getProperty(FailureAnalyzer.class.getName()))
        .isEqualTo(SdkConfigFailureAnalyzer.class.getName());
  }

  @Test
  void thePropertyMetadataHasTheJavadocDescriptions() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, String> descriptions = new java.util.HashMap<>();
    metadata
        .get("properties")
        .forEach(p -> descriptions.put(p.get("name").asText(), p.path("description").asText()));
    assertThat(descriptions)
        .containsOnlyKeys(
            "kafkasdk.bootstrap-servers",
            "kafkasdk.properties",
            "kafkasdk.producers",
            "kafkasdk.runners");
    assertThat(descriptions.get("kafkasdk.bootstrap-servers"))
        .startsWith("Kafka's bootstrap.servers");
    assertThat(descriptions.get("kafkasdk.runners")).contains("RecordHandler or BatchHandler bean");
  }

  @Test
  void theAnalyzerSplitsTheSdksMessageIntoProblemAndFix() {
    SdkConfigException e = new SdkConfigException("acks", "must be all", "remove acks");
    var analysis = new SdkConfigFailureAnalyzer().analyze(e);
    assertThat(analysis.getDescription())
        .isEqualTo("A Kafka SDK setting is invalid:\n\n    Invalid setting 'acks': must be all");
    assertThat(analysis.getAction()).isEqualTo("remove acks");
  }

  private static String analysis(Throwable failure) {
    assertThat(failure).isNotNull();
    var analysis = new SdkConfigFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("analysis of %s", failure).isNotNull();
    return analysis.getDescription() + "\nAction: " + analysis.getAction();
  }

  static class StringProducerUser {
    @Autowired ReliableProducer<String, String> producer;
  }

  static class QualifiedProducerUser {
    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("events")
    ReliableProducer<String, String> events;
  }

  static class BothHandlers implements RecordHandler<String, String>, BatchHandler<String, String> {
    @Override
    public void handle(ConsumerRecord<String, String> record) {}

    @Override
    public void handle(List<ConsumerRecord<String, String>> records) {}
  }

  /** Records each configure call: which side, and the two test settings it was given. */
  public static class RecordingDeserializer extends StringDeserializer {
    static final List<String> configured = new CopyOnWriteArrayList<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      configured.add(
          (isKey ? "key" : "value")
              + " shared.setting="
              + configs.get("shared.setting")
              + " own.setting="
              + configs.get("own.setting"));
      super.configure(configs, isKey);
    }
  }

  /** Records each configure call, as {@link RecordingDeserializer}. */
  public static class RecordingSerializer extends StringSerializer {
    static final List<String> configured = new CopyOnWriteArrayList<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      configured.add(
          (isKey ? "key" : "value")
              + " shared.setting="
              + configs.get("shared.setting")
              + " own.setting="
              + configs.get("own.setting"));
      super.configure(configs, isKey);
    }
  }

  /** Fails when created. */
  public static class Unconstructible extends StringDeserializer {
    public Unconstructible() {
      throw new IllegalStateException("must not be created");
    }
  }
}
