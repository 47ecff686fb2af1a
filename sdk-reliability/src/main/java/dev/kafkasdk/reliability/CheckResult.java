package dev.kafkasdk.reliability;

/**
 * The verdict of one check.
 *
 * @param name the check's stable name, e.g. {@code lost-write}
 * @param passed whether the history satisfies it
 * @param detail empty when passed; otherwise a short description with the first offenders
 */
public record CheckResult(String name, boolean passed, String detail) {

  static CheckResult pass(String name) {
    return new CheckResult(name, true, "");
  }

  static CheckResult fail(String name, String detail) {
    return new CheckResult(name, false, detail);
  }

  /**
   * Formats the line scripts read: {@code check <name> PASS} or {@code check <name> FAIL <detail>}.
   *
   * @return the line, without a line break
   */
  public String line() {
    return "check " + name + (passed ? " PASS" : " FAIL " + detail);
  }
}
