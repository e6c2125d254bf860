#!/usr/bin/env bash
# Soak harness (issues 8 and 14): the real agent under sustained load on loopback, through a receiver outage, a kill -9
# and a graceful restart (each with pods deleted and recreated and tail files rotated while it is down), pod churn and
# a rotation storm; prints produced, delivered, lost, duplicated and lost-but-counted for metrics, tail logs and pod
# logs, by phase and by event, with peak RSS, heap and disk, and keeps the report in bench/results/soak-<UTC>.md.
#
# usage: bench/soak.sh [--minutes N] [harness flags]      N defaults to 10; N=3 for a short run (phases scale)
#   harness flags: --targets 25 --series 2000 --lines-per-second 5000 --log-files 4
#                  --pods 6 --pod-lines-per-second 1000 --churn-seconds 5 (one pod recreated every S s)
#                  --down-seconds S                how long the agent stays down at each restart (default N/60 min, 5-30 s)
#                  --agent-jvm '-XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError'   (the agent's JVM flags)
#                  --remote-write-opt name=value   extra remote-write:soak option, ${DATA} = CARAVAN_DATA_DIR
#                  --loki-opt name=value           extra loki:soak option               (e.g. maxSpillBytes=64MiB)
#                  --keep                          keep the work dir (agent logs, data dir, log files)
#
# Method
#   Load. A target farm (JDK HttpServer, 127.0.0.1): 25 targets x 2,000 series, scraped every 1 s = 50k samples/s.
#   Every scrape of a target gets its next number n and every series of that scrape has the value n, and the
#   target remembers when it served n. A tail writer appends 5k lines/s round-robin over 4 files app-N.log in CRI
#   format, each line with a unique sequence id (seq=ID), in 10 ms ticks.
#   Pods. fabric8's mock API server in CRUD mode (io.caravan.discovery.MockCluster: it honours spec.nodeName field
#   selectors), plain http on 127.0.0.1, with one Node and 6 Running pods on it (one container each). A pod log writer
#   acts as the kubelet: <dir>/<namespace>_<pod>_<uid>/app/0.log (the uid the mock assigned), CRI, 1k lines/s
#   round-robin over the pods being written, each with a unique id (podline=ID). Every 5 s one pod (in turn) is
#   deleted and a new incarnation created (new uid, new directory; even pods keep their name as a StatefulSet's do,
#   odd ones get a new one as a Deployment's). With the agent up: the old file stops being written, then the pod
#   leaves the API (the mock deletes at once, where a real API server lists a terminating pod until its containers
#   exit), and its directory is removed 10 s later as the kubelet cleans up a deleted pod's logs.
#   Agent. `java -XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError -jar target/caravan.jar` as a child process;
#   CARAVAN_ROUTES_DIR is generated (SoakRoutes.java, the one place that knows the sinks' options): every
#   built-in route file of the jar emptied (switched off) and soak-pipelines.yaml with
#     static-targets:soak?file=targets.yaml -> scrape:soak?interval=1s&timeout=1s -> remote-write:soak (defaults)
#     tail:soak?path=<logs>/*.log -> loki-process (cri stage) -> direct:soak-loki
#     k8s-discovery:pod?nodeName={{NODE_NAME}} -> relabel (shipped rules/pod-logs.yaml) -> pod-logs:soak (files
#       under POD_LOGS_DIR) -> loki-process (shipped stages/pod-logs.yaml) -> direct:soak-loki
#     direct:soak-loki -> loki:soak (disk queue under the data dir, defaults)
#   Environment: CARAVAN_DATA_DIR (a temp dir kept across the restarts), CARAVAN_HTTP_PORT (a free port), NODE_NAME,
#   POD_LOGS_DIR, and fabric8's standard settings KUBERNETES_MASTER=<mock>, KUBERNETES_AUTH_TRYKUBECONFIG=false,
#   KUBERNETES_AUTH_TRYSERVICEACCOUNT=false, KUBERNETES_NAMESPACE=default.
#   Receivers. A counting remote-write receiver (snappy + protobuf, io.caravan.testing.RemoteWriteDecoder) and a
#   counting Loki push receiver (io.caravan.loki.testing.LokiPushDecoder; a line's marker, seq= or podline=, says
#   which log source's ledger it goes to), each able to answer 503 or to close its listening socket (connection
#   refused) and come back on the same port.
#   Phases, as fractions of the length (10 min shown). Each lasts at least half its length, and none ends while the
#   agent is down or before the restarted one has been ready 15 s, so on a loaded machine (start-ups of 30 s and more)
#   the later phases start late and the run stretches:
#     warm-up 0:00-0:30, steady -2:00;
#     outage 2:00-5:00 (first half: remote-write 503, Loki closed; second half the other way round), recovery -6:00;
#     kill -9 at 6:00: the agent stays down 10 s (--down-seconds); at once half the pods are deleted and recreated,
#       their old files written for 2 s more (their termination) then no more; at a third of the window a tail file
#       is rotated by rename + gzip (the .gz 0.5 s after the rename); then the agent starts on the same data dir;
#     graceful restart at 7:00: SIGTERM, waiting for the process to exit (SIGKILL after 60 s, reported), then down
#       10 s likewise: half the pods recreated, a tail file copytruncated at 1/4 and one renamed at 2/4 of the window;
#     the regular pod churn goes on throughout, also while the agent is down; the directories of pods deleted while
#       it was down stay until the new agent is ready, and go 10 s after that (so it can finish them);
#     rotation storm 7:45-9:00: a tail file rotated every 1-2 s, in turn rename, rename + gzip, rename, copytruncate;
#     drain from 9:00 (targets answer 503, the writers stop, no more churn) until everything is delivered, delivery
#       stops growing for 30 s, or 3 min past the end.
#   Rotations, with logrotate's names, none matched by the tail glob *.log: copytruncate copies to app-N.log.1 (older
#   copies shifted to .2, .3, ...) and truncates; rename moves to app-N.log-<yyyyMMddHHmmss> (dateext) and the writer
#   reopens app-N.log; gzip writes app-N.log-<date>.gz and removes the renamed file. Everything rotation keeps stays.
#   The agent is being changed to go on reading such a sibling (plain or .gz), found by content fingerprint, from its
#   stored offset after a copytruncate or a rename; until then the report shows those losses.
#   Counting. Metrics: produced = scrapes served x series; delivered = distinct (target, series, value) received;
#   duplicated = pairs received more than once; lost = produced - delivered, also as scrapes with no sample
#   received; scrapes served in the last second before a stop are reported apart (in flight); scrapes the agent
#   did not take on time (scrapes/s per phase, scrape slots missed) are not "produced", so not in lost. Report series
#   (up, scrape_*) and staleness markers are counted but not in these figures. Logs, for each source: produced =
#   lines written; delivered = distinct ids received; duplicated = ids received more than once. Every line is booked
#   with the phase and time it was written in and the fate of its file: a tail file live, copytruncated, renamed or
#   renamed + gzipped; a pod incarnation live, deleted with the agent up, deleted while it was down after the kill -9,
#   or during the graceful restart. The report gives produced / delivered / lost / duplicated by phase, by fate
#   (with how many of the lost were in events while the agent was down, signal to readiness), for each restart
#   (everything produced from 1 s before its signal until the new agent was ready), and for copytruncate whether only
#   the file's last lines before the truncate were lost (the lines written since the tailer's last read).
#   Lost-but-counted = the agent's own counters: caravan_remote_write_samples_dropped, caravan_loki_entries_dropped
#   and every caravan_logs_* counter whose name holds "dropped" or "lost" (by pattern, so a new one is picked up;
#   put to the tail or the pod logs by its source tag), read from /actuator/prometheus every 2 s and just before
#   each stop, summed over the processes.
#   Memory and disk, sampled every second: VmRSS/VmHWM from /proc/PID/status (VmHWM restarts with the process:
#   the max of all is kept), heap used (/actuator/metrics/jvm.memory.used?tag=area:heap) and live data after
#   a major GC (jvm.gc.live.data.size), bytes under CARAVAN_DATA_DIR and under its loki/ spill.
#   Every child is killed at the end, also on failure or Ctrl-C (trap here, destroyForcibly in the harness's
#   shutdown hook), the mock API server stopped and the temp dir removed. Loopback only.
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
