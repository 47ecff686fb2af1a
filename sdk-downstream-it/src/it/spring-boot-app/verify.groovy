// The build succeeding is not enough: with unaligned JUnit Platform jars Surefire runs 0 tests
// and still passes. The application's test class has exactly two tests; both must run and pass.
def log = new File(basedir, 'build.log').text
def summary = log.readLines().findAll { it.contains('Tests run:') && !it.contains('Time elapsed') }
assert summary == ['[INFO] Tests run: 2, Failures: 0, Errors: 0, Skipped: 0'] :
    "expected exactly 2 tests run and passed, Surefire reported: ${summary ?: 'no test summary'}"
