package dev.kafkasdk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which variants run in each measured round of a scenario, and in what order: all of them, the
 * order rotated each round so no variant always runs first (cold) or last (warm); except that a
 * peer whose warm-up trial stopped at its time cap runs only in the first {@code cappedRounds}
 * rounds.
 *
 * <p>Such a peer (Parallel Consumer in quick {@code consumer-light}: 700-2,500 records/s against
 * millions) takes its whole cap in every trial, about a third of the scenario's rounds in quick
 * mode, and its line measures its ramp-up, which more rounds do not settle. Its trials keep the
 * index of their round, so {@link ScenarioResult#pairedRatio} pairs them with the other variants'
 * trials of the same rounds.
 */
final class RoundPlan {
  /** The rounds a capped peer runs in a quick run; a full run gives it every round. */
  static final int CAPPED_PEER_QUICK_ROUNDS = 3;

  private final List<Variant> variants;
  private final Set<String> capped;
  private final int cappedRounds;

  /**
   * Creates the plan.
   *
   * @param variants the scenario's variants that run, in their declared order
   * @param capped names of the variants whose warm-up trial stopped at its time cap
   * @param cappedRounds the rounds those variants run in (the first ones)
   */
  RoundPlan(List<Variant> variants, Set<String> capped, int cappedRounds) {
    this.variants = List.copyOf(variants);
    this.capped = Set.copyOf(capped);
    this.cappedRounds = cappedRounds;
  }

  /** The variants of round {@code round} (from 0), in the order they run. */
  List<Variant> round(int round) {
    List<Variant> order = new ArrayList<>(variants.size());
    for (int i = 0; i < variants.size(); i++) {
      Variant variant = variants.get((i + round) % variants.size());
      if (round < cappedRounds || !capped.contains(variant.name())) {
        order.add(variant);
      }
    }
    return order;
  }
}
