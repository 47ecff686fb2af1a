// The compiler, not a naming convention, keeps applications out of the SDK's internal packages.
def log = new File(basedir, 'build.log').text
assert log.contains('package dev.kafkasdk.producer.internal is declared in module dev.kafkasdk.producer, which does not export it') :
    'expected javac to refuse the import of dev.kafkasdk.producer.internal'
