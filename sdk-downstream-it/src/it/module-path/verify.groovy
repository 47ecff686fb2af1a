// The program ran on the module path (java --module) and reached its last line.
def log = new File(basedir, 'build.log').text
assert log.contains('MODULE-PATH CHECK PASSED') : 'the modular application did not finish its checks'
