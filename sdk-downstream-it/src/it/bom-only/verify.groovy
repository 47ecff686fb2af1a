// The build succeeding is not enough: with unaligned JUnit Platform jars Surefire runs 0 tests
// and still passes. The downstream project has exactly one test, and it must run and pass.
def log = new File(basedir, 'build.log').text
def summary = log.readLines().findAll { it.contains('Tests run:') && !it.contains('Time elapsed') }
assert summary == ['[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0'] :
    "expected exactly 1 test run and passed, Surefire reported: ${summary ?: 'no test summary'}"
