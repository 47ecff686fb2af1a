package dev.kafkasdk.reliability;

/**
 * Which records a share-group scenario's handler fails: a seeded share of payloads is <b>poison</b>
 * (every call fails, so the runner must dead-letter it), and another seeded share is <b>flaky</b>
 * (the first call in each runner process fails, a retry succeeds). A pure function of the seed and
 * the payload, so the handler in any child JVM and the {@link HistoryChecker} agree.
 *
 * <p>Unlike {@link FailureScript}, it scripts no exact call counts: a share group redelivers a
 * record whose consumer was killed or whose acquisition lock expired, and the SDK may count the
 * broker's delivery count as attempts, so the calls a record gets depend on the faults. What the
 * script fixes is the outcome: a poison record is dead-lettered and never succeeds, every other
 * record succeeds at least once and is never dead-lettered.
 *
 * @param seed the seed
 * @param percentPoison the share of payloads that always fail, 0 to 100
 * @param percentFlaky the share of payloads that fail once per process, 0 to 100
 */
public record ShareGroupScript(long seed, int percentPoison, int percentFlaky) {

  /** Validates the parts. */
  public ShareGroupScript {
    if (percentPoison < 0 || percentFlaky < 0 || percentPoison + percentFlaky > 100) {
      throw new IllegalArgumentException(
          "percentPoison and percentFlaky must be at least 0 and add up to at most 100, were "
              + percentPoison
              + " and "
              + percentFlaky);
    }
  }

  /**
   * Tells whether every handler call with the payload fails.
   *
   * @param payload the record's payload
   * @return true for a poison record
   */
  public boolean poison(Payload payload) {
    return bucket(payload) < percentPoison;
  }

  /**
   * Tells whether the first handler call with the payload in a runner process fails.
   *
   * @param payload the record's payload
   * @return true for a flaky record
   */
  public boolean flaky(Payload payload) {
    int bucket = bucket(payload);
    return bucket >= percentPoison && bucket < percentPoison + percentFlaky;
  }

  private int bucket(Payload payload) {
    return (int)
        Math.floorMod(
            FailureScript.mix(seed + 0x9E3779B97F4A7C15L * payload.encode().hashCode()), 100L);
  }
}
