#!/usr/bin/env bash
# Caravan side by side with the real peers (Prometheus in agent mode, prometheus-node-exporter from Debian's
# packages) on loopback: metrics path, node exporter, logs path, start-up, one measured process at a time.
# Writes bench/results/peers-<UTC>.md and prints it. See BENCHMARKS.md for the method.
# usage: bench/peers.sh [--quick] [--only metrics,node-exporter,logs,startup]
#        full run ~13 min, --quick ~5 min (smaller, not comparable with full runs)
# env:   CARAVAN_JAVA_OPTS  Caravan's JVM flags where it runs as a fat jar (default: the chart's javaToolOptions and -XX:MaxRAM of its memory limit)
#        CARAVAN_IMAGE_EXTRA_OPTS  added to the image's JAVA_TOOL_OPTIONS where it starts as the image does (startup, seed)
#        BENCH_HARNESS_OPTS  the harness JVM's flags, e.g. -Dbench.auditLines=1600000 -Dbench.podLines=4000000 for
#                            longer logs runs (the measured lines; the warm-up stays)
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--quick) ;;
    --only) args+=(--only "$2"); shift ;;
    *) echo "usage: bench/peers.sh [--quick] [--only metrics,node-exporter,logs,startup]" >&2; exit 2 ;;
  esac
  shift
done
for p in /usr/bin/prometheus /usr/bin/prometheus-node-exporter; do
  [ -x "$p" ] || { echo "$p missing: apt-get install -y prometheus prometheus-node-exporter" >&2; exit 1; }
done
# Caravan runs on the production runtime, Java 25 (the harness starts it with its own JVM).
JAVA_HOME="$(.ci/java25-home)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
[ -f target/caravan.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

run=$(mktemp -d "${TMPDIR:-/tmp}/caravan-peers.XXXXXX")
harness=""
cleanup() {
  # The harness destroys what it started (shutdown hook); this is the backstop if it was killed: every pid it
  # recorded, only if that pid still has the start time recorded with it (never a reused pid).
  if [ -n "$harness" ] && kill -0 "$harness" 2>/dev/null; then
    kill "$harness" 2>/dev/null || true
    sleep 2
    kill -9 "$harness" 2>/dev/null || true
  fi
  if [ -f "$run/pids" ]; then
    while read -r pid start; do
      if [ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ]; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done < "$run/pids"
  fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -Xmx1g -Dsun.net.httpserver.nodelay=true ${BENCH_HARNESS_OPTS:-} -Dbench.clkTck="$(getconf CLK_TCK)" -cp "$CP" io.caravan.bench.peers.PeerBench "${args[@]}" \
  --jar target/caravan.jar --results bench/results --run "$run" &
harness=$!
wait "$harness"
