#!/usr/bin/env bash
# Soak harness (issue 8): the real agent under sustained load on loopback, through a receiver outage, a kill -9 and
# a rotation storm; prints produced, delivered, lost, duplicated, lost-but-counted, peak RSS, heap and disk, for
# metrics and logs separately, and keeps the report in bench/results/soak-<UTC timestamp>.md.
#
# usage: bench/soak.sh [--minutes N] [harness flags]      N defaults to 10; N=3 for a short run (phases scale)
#   harness flags: --targets 25 --series 2000 --lines-per-second 5000 --log-files 4
#                  --agent-jvm '-XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError'   (the agent's JVM flags)
#                  --remote-write-opt name=value   extra remote-write:soak option, ${DATA} = CARAVAN_DATA_DIR
#                  --loki-opt name=value           extra loki:soak option               (e.g. maxSpillBytes=64MiB)
#                  --keep                          keep the work dir (agent logs, data dir, log files)
#
# Method
#   Load. A target farm (JDK HttpServer, 127.0.0.1): 25 targets x 2,000 series, scraped every 1 s = 50k samples/s.
#   Every scrape of a target gets its next number n and every series of that scrape has the value n, and the
#   target remembers when it served n. A log writer appends 5k lines/s round-robin over 4 files in CRI format,
#   each line with a unique sequence id (seq=ID), in 10 ms ticks.
#   Agent. `java -XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError -jar target/caravan.jar` as a child process;
#   CARAVAN_ROUTES_DIR is generated (SoakRoutes.java, the one place that knows the sinks' options): every
#   built-in route file of the jar emptied (switched off) and soak-pipelines.yaml with
#     static-targets:soak?file=targets.yaml -> scrape:soak?interval=1s&timeout=1s -> remote-write:soak (defaults)
#     tail:soak?path=<logs>/*.log -> loki-process (cri stage) -> loki:soak (disk queue under the data dir, defaults)
#   CARAVAN_DATA_DIR is a temp dir kept across the restart; CARAVAN_HTTP_PORT a free port.
#   Receivers. A counting remote-write receiver (snappy + protobuf, io.caravan.testing.RemoteWriteDecoder) and a
#   counting Loki push receiver (io.caravan.loki.testing.LokiPushDecoder), each able to answer 503 or to close
#   its listening socket (connection refused) and come back on the same port.
#   Phases, as fractions of the length (10 min shown): warm-up 0:00-0:30, steady -2:00, outage 2:00-5:00 (first
#   half: remote-write 503, Loki closed; second half the other way round), recovery -6:00, kill -9 at 6:00 and
#   immediate restart on the same data dir, steady -7:30, rotation storm 7:30-9:00 (a file rotated every 1-2 s:
#   rename + create, every 4th copytruncate; rotated files kept), drain from 9:00 (targets answer 503, the writer
#   stops) until everything is delivered, delivery stops growing for 30 s, or 3 min past the end.
#   Counting. Metrics: produced = scrapes served x series; delivered = distinct (target, series, value) received;
#   duplicated = pairs received more than once; lost = produced - delivered, also as scrapes with no sample
#   received; scrapes served in the last second before the kill are reported apart (in flight); scrapes the agent
#   did not take on time (scrapes/s per phase, scrape slots missed) are not "produced", so not in lost. Report series
#   (up, scrape_*) and staleness markers are counted but not in these figures. Logs: produced = lines written;
#   delivered = distinct ids received; lost lines put down to the phase they were written in and to the fate of
#   their file (live, renamed, copytruncated; for copytruncate, whether only the file's last lines before the
#   truncate were lost, i.e. the lines written since the tailer's last read). Lost-but-counted = the agent's own dropped counters
#   (caravan_remote_write_samples_dropped, caravan_loki_entries_dropped, caravan_logs_dropped_entries) read from
#   /actuator/prometheus every 2 s and just before the kill, summed over the two processes.
#   Memory and disk, sampled every second: VmRSS/VmHWM from /proc/PID/status (VmHWM restarts with the process:
#   the max of both is kept), heap used (/actuator/metrics/jvm.memory.used?tag=area:heap) and live data after
#   a major GC (jvm.gc.live.data.size), bytes under CARAVAN_DATA_DIR and under its loki/ spill.
#   Every child is killed at the end, also on failure or Ctrl-C (trap here, destroyForcibly in the harness's
#   shutdown hook), and the temp dir removed. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done

if [ ! -f target/caravan.jar ]; then
    echo "soak: building target/caravan.jar" >&2
    mvn -B -q package -DskipTests
fi
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

mkdir -p bench/results
out="bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ).md"

harness=""
cleanup() {
    if [ -n "$harness" ] && kill -0 "$harness" 2>/dev/null; then
        kill "$harness" 2>/dev/null || true          # its shutdown hook kills the agent (SIGKILL)
        for _ in $(seq 1 30); do kill -0 "$harness" 2>/dev/null || break; sleep 1; done
        kill -9 "$harness" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -XX:+UseSerialGC -Xmx1g -cp "$CP" io.caravan.bench.soak.Soak --minutes "$minutes" --jar target/caravan.jar --out "$out" ${args[@]+"${args[@]}"} &
harness=$!
status=0
wait "$harness" || status=$?
harness=""
if [ "$status" -eq 0 ]; then
    echo "soak: report kept in $out"
fi
exit "$status"
