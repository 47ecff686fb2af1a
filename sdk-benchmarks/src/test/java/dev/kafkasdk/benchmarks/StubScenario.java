package dev.kafkasdk.benchmarks;

import java.util.List;

/**
 * A scenario that runs nothing, for tests of the arithmetic and reporting around trials: a name,
 * fixed variants, higher is better. Subclasses override what a test needs (a computed baseline, a
 * comparison).
 */
class StubScenario implements Scenario {
  private final String name;
  private final List<Variant> variants;

  StubScenario(String name, List<Variant> variants) {
    this.name = name;
    this.variants = List.copyOf(variants);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return name + " \"trials\"";
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void prepare() {}

  @Override
  public List<Variant> variants() {
    return variants;
  }
}
