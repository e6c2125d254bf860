#!/usr/bin/env bash
# Runs Caravan's JMH benchmarks (src/test/java/io/caravan/bench) on one thread and prints the figures.
# usage: bench/jmh.sh [BENCHMARK_REGEX] [JMH flags, replacing the defaults]   e.g. bench/jmh.sh PipelineBenchmark -t 1 -f 1 -wi 3 -i 5
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
pattern="${1:-.*Benchmark.*}"
shift || true
mkdir -p bench/results
out="bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).txt"
if [ $# -eq 0 ]; then set -- -t 1 -f 1 -wi 3 -w 2s -i 5 -r 2s; fi   # one thread, one fork; pass your own to override
java -cp "$CP" org.openjdk.jmh.Main "$pattern" "$@" | tee "$out"
echo "figures kept in $out"
