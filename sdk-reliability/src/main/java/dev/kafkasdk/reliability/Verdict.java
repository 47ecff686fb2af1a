package dev.kafkasdk.reliability;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks of one scenario run, printed as {@code check <name> PASS|FAIL ...} lines after a
 * {@code scenario <name> seed <seed>} line.
 *
 * @param scenario the scenario name
 * @param seed the run seed
 * @param results the checks, in order
 */
public record Verdict(String scenario, long seed, List<CheckResult> results) {

  /**
   * Tells whether every check passed.
   *
   * @return true if none failed
   */
  public boolean passed() {
    return results.stream().allMatch(CheckResult::passed);
  }

  /**
   * Renders the verdict for a log or a script.
   *
   * @return the lines, joined by line breaks
   */
  public String render() {
    return "scenario "
        + scenario
        + " seed "
        + seed
        + "\n"
        + results.stream().map(CheckResult::line).collect(Collectors.joining("\n"));
  }

  /**
   * Prints the verdict to standard output and returns it.
   *
   * @return this verdict
   */
  public Verdict print() {
    System.out.println(render());
    return this;
  }
}
