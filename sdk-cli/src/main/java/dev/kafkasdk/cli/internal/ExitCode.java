package dev.kafkasdk.cli.internal;

/**
 * The exit codes scripts can rely on (docs/cli.md, "Exit codes"). Never renumber one: scripts test
 * them.
 */
public final class ExitCode {
  /** The command did what was asked and found nothing at or above the threshold. */
  public static final int OK = 0;

  /**
   * The command ran, and what it checks is not met: findings at or above {@code --fail-on}, a group
   * with lag above {@code --fail-on-lag}, differences in a dry run.
   */
  public static final int CONDITION_NOT_MET = 1;

  /** The command line is wrong: unknown option, missing argument, unreadable file, bad spec. */
  public static final int USAGE = 2;

  /** The cluster could not be reached or did not answer within {@code --timeout}. */
  public static final int CLUSTER = 3;

  /**
   * The cluster or the SDK refused: authentication or authorization failed, or a guard refused the
   * change (a keyed topic's partition increase without {@code --acknowledge-key-remap}).
   */
  public static final int REFUSED = 4;

  /** A bug or anything else not foreseen; run again with {@code --verbose} for the stack trace. */
  public static final int UNEXPECTED = 5;

  private ExitCode() {}
}
