package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionIncreaseTest {

  @Test
  void changingAReturnedSampleKeyDoesNotChangeTheRequest() {
    byte[] key = "order-1".getBytes(StandardCharsets.UTF_8);
    PartitionIncrease request =
        PartitionIncrease.forTopic("orders", true).withSerializedSampleKeys(List.of(key));

    request.sampleKeys().get(0)[0] = 'X';

    assertThat(request.sampleKeys().get(0)).isEqualTo(key);
  }
}
