package io.caravan.bench.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The soak harness (issues 8 and 14): the real agent as a child process between a target farm, a tail log writer and
 * a node's pods (a mock API server and kubelet-style log files) on one side and counting receivers on the other, all
 * on loopback, through warm-up, steady load, a receiver outage, recovery, a kill -9 with pods recreated and a file
 * rotated while it is down, a graceful restart likewise, a rotation storm and a drain; then a markdown report
 * ({@link SoakReport}). Run it through bench/soak.sh, whose header has the method.
 */
public final class Soak {

    private static final long SETTLE_MILLIS = 15_000;

    // load and agent settings (command line)
    double minutes = 10;
    int targets = 25;
    int series = 2000;
    int linesPerSecond = 5000;
    int logFiles = 4;
    int pods = 6;
    int podLinesPerSecond = 1000;
    long churnMillis = 5_000;
    long downMillis = -1; // default: a 60th of the run, 5-30 s
    long removeDelayMillis = 10_000;
    Path jar = Path.of("target/caravan.jar");
    private Path out;
    private boolean keep;
    final List<String> agentJvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
    final Map<String, String> remoteWriteOpts = new LinkedHashMap<>();
    final Map<String, String> lokiOpts = new LinkedHashMap<>();

    // run state, read by the report
    long totalMillis;
    long t0;
    long endAt;
    private volatile Phase phase = Phase.WARMUP;
    final List<long[]> transitions = new ArrayList<>(); // {epoch ms, phase ordinal}
    final List<Restart> restarts = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<String> timeline = new ArrayList<>();
    final Map<Integer, Map<String, Double>> countersByIncarnation = new TreeMap<>();
    final Map<Integer, Long> hwmByIncarnation = new TreeMap<>();
    final Map<Phase, long[]> peaksByPhase = new EnumMap<>(Phase.class); // rss, heap, live, disk
    long peakRss;
    long peakHeap;
    long peakLive;
    long peakDisk;
    long peakSpill;
    private volatile long lastRss;
    private volatile long lastHeap;
    private volatile long lastLive;
    private volatile long lastDisk;
    private volatile long lastSpill;

    TargetFarm farm;
    MetricsLedger metrics;
    LogLedger tailLogs;
    LogLedger podLogs;
    LogWriter writer;
    PodLogWriter podWriter;
    PodChurn churn;
    SwitchableServer rwReceiver;
    SwitchableServer lokiReceiver;
    AgentProcess agent;
    private PodCluster cluster;
    private final Script script = new Script();
    private Restart restart; // the latest
    private Path work;
    private Path dataDir;
    private Thread sampler;
    private boolean stopped;

    public static void main(String[] args) throws Exception {
        Soak soak = new Soak();
        soak.parse(args);
        int code;
        try {
            code = soak.run();
        } finally {
            soak.cleanUp();
        }
        System.exit(code);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--minutes" -> { minutes = Double.parseDouble(v); i++; }
                case "--targets" -> { targets = Integer.parseInt(v); i++; }
                case "--series" -> { series = Integer.parseInt(v); i++; }
                case "--lines-per-second" -> { linesPerSecond = Integer.parseInt(v); i++; }
                case "--log-files" -> { logFiles = Integer.parseInt(v); i++; }
                case "--pods" -> { pods = Integer.parseInt(v); i++; }
                case "--pod-lines-per-second" -> { podLinesPerSecond = Integer.parseInt(v); i++; }
                case "--churn-seconds" -> { churnMillis = Math.round(Double.parseDouble(v) * 1000); i++; }
                case "--down-seconds" -> { downMillis = Math.round(Double.parseDouble(v) * 1000); i++; }
                case "--jar" -> { jar = Path.of(v); i++; }
                case "--out" -> { out = Path.of(v); i++; }
                case "--agent-jvm" -> { agentJvm.clear(); agentJvm.addAll(List.of(v.trim().split("\\s+"))); i++; }
                case "--remote-write-opt" -> { pair(remoteWriteOpts, v); i++; }
                case "--loki-opt" -> { pair(lokiOpts, v); i++; }
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (--minutes N, --targets N, --series N, --lines-per-second N, --log-files N, --pods N, --pod-lines-per-second N,"
                        + " --churn-seconds S, --down-seconds S, --jar FILE, --out FILE, --agent-jvm 'FLAGS', --remote-write-opt name=value,"
                        + " --loki-opt name=value, --keep)");
            }
        }
        if (minutes <= 0 || targets < 1 || series < 1 || linesPerSecond < 1 || logFiles < 1 || pods < 1 || podLinesPerSecond < 1
                || churnMillis < 1) {
            throw new IllegalArgumentException("--minutes, --targets, --series, --lines-per-second, --log-files, --pods,"
                    + " --pod-lines-per-second, --churn-seconds must be positive");
        }
    }

    private static void pair(Map<String, String> m, String v) {
        int eq = v.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("expected name=value, got " + v);
        }
        m.put(v.substring(0, eq), v.substring(eq + 1));
    }

    private int run() throws Exception {
        totalMillis = Math.round(minutes * 60_000);
        if (downMillis < 0) {
            downMillis = Math.max(5_000, Math.min(30_000, totalMillis / 60));
        }
        long drainGrace = 180_000; // the drain may run past the nominal end until delivery stops growing
        int maxScrapes = (int) ((totalMillis + drainGrace) / 1000 * 2 + 100);
        // phases may stretch past their nominal times (see mayLeavePhase): room for 5 minutes more
        int lineCapacity = (int) Math.min(Integer.MAX_VALUE - 1L, (long) linesPerSecond * (totalMillis / 1000 + 300));
        int podLineCapacity = (int) Math.min(Integer.MAX_VALUE - 1L, (long) podLinesPerSecond * (totalMillis / 1000 + 300));

        work = Files.createTempDirectory("caravan-soak-");
        dataDir = Files.createDirectories(work.resolve("data"));
        Path logDir = work.resolve("logs");
        Path agentLogs = Files.createDirectories(work.resolve("agent-logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopChildren, "soak-shutdown"));

        farm = new TargetFarm(targets, series, maxScrapes);
        metrics = new MetricsLedger(farm, maxScrapes);
        tailLogs = new LogLedger("seq=", lineCapacity);
        podLogs = new LogLedger("podline=", podLineCapacity);
        rwReceiver = new SwitchableServer("soak-remote-write", "/api/v1/write", 4, metrics::receive);
        lokiReceiver = new SwitchableServer("soak-loki", "/loki/api/v1/push", 4, body -> LogLedger.receive(body, tailLogs, podLogs));
        writer = new LogWriter(logDir, logFiles, linesPerSecond, lineCapacity, () -> phase.ordinal());
        podWriter = new PodLogWriter(work.resolve("pods"), podLinesPerSecond, podLineCapacity, () -> phase.ordinal());
        cluster = new PodCluster();
        // a StatefulSet's or Deployment's pod terminates within seconds; the kubelet removes its logs some seconds later
        churn = new PodChurn(cluster, podWriter, pods, churnMillis, removeDelayMillis, Math.min(2_000, downMillis / 3));
        churn.createAll();

        Path targetsFile = work.resolve("targets.yaml");
        SoakRoutes.writeTargets(targetsFile, farm.instances());
        SoakRoutes.Settings settings = new SoakRoutes.Settings(targetsFile, logDir.resolve("*.log"), dataDir,
                rwReceiver.url(), lokiReceiver.url(), remoteWriteOpts, lokiOpts);
        List<String> off = SoakRoutes.write(work.resolve("routes"), jar, settings);
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CARAVAN_ROUTES_DIR", work.resolve("routes").toString());
        env.put("CARAVAN_DATA_DIR", dataDir.toString());
        env.put("CARAVAN_HTTP_PORT", String.valueOf(httpPort));
        env.put("CARAVAN_SELF_SCRAPE", "false");
        // fabric8's standard settings, as a node's agent would get them, towards the mock (plain http, no credentials)
        env.put("KUBERNETES_MASTER", cluster.url());
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        env.put("KUBERNETES_NAMESPACE", "default");
        env.put("NODE_NAME", PodCluster.NODE);
        env.put("POD_LOGS_DIR", podWriter.base().toString());
        agent = new AgentProcess(jar.toAbsolutePath(), agentJvm, env, agentLogs, httpPort);

        say("soak: %s min, %d targets x %d series at 1s (%,d samples/s), %,d lines/s over %d files, %,d pod-log lines/s over %d pods"
                        + " (one recreated every %s s), down %s s at each restart; work dir %s",
                fmt(minutes), targets, series, targets * series, linesPerSecond, logFiles, podLinesPerSecond, pods,
                fmt(churnMillis / 1000.0), fmt(downMillis / 1000.0), work);
        say("soak: agent java %s -jar %s; API server %s; built-in routes switched off: %s", String.join(" ", agentJvm), jar,
                cluster.url(), String.join(", ", off));
        long startAsked = System.currentTimeMillis();
        agent.start();
        if (!agent.awaitReady(Duration.ofSeconds(180))) {
            say("soak: the agent did not become ready (exit %s); its log: %s", agent.exitCode(), agent.logFile(1));
            System.out.println(tail(agent.logFile(1), 40));
            return 1;
        }
        event("agent 1 (pid %d) ready after %.1f s", agent.pid(), (System.currentTimeMillis() - startAsked) / 1000.0);

        t0 = System.currentTimeMillis();
        transitions.add(new long[]{t0, Phase.WARMUP.ordinal()});
        daemon(writer, "soak-log-writer");
        daemon(podWriter, "soak-pod-log-writer");
        churn.churning(true, t0);
        sampler = daemon(this::sampleLoop, "soak-sampler");

        long nextTimeline = 0;
        boolean outageSwapped = false;
        long drainStart = -1;
        long lastGrowth = 0;
        long lastDelivered = -1;
        while (true) {
            long now = System.currentTimeMillis();
            long el = now - t0;
            if (Phase.at(el, totalMillis).ordinal() > phase.ordinal() && mayLeavePhase(now)) {
                enter(Phase.values()[phase.ordinal() + 1]);
                if (phase == Phase.DRAIN) {
                    drainStart = el;
                    lastGrowth = el;
                }
            }
            script.runDue(System.currentTimeMillis());
            churn.tick(System.currentTimeMillis(), down() ? restart.kind.podFate : null);
            if (phase == Phase.OUTAGE && !outageSwapped
                    && el >= (Phase.OUTAGE.startMillis(totalMillis) + Phase.OUTAGE.endMillis(totalMillis)) / 2) {
                outageSwapped = true;
                rwReceiver.mode(SwitchableServer.Mode.CLOSED);
                lokiReceiver.mode(SwitchableServer.Mode.REFUSE_503);
                event("outage, second half: remote-write receiver closed (connection refused), Loki receiver answers 503");
            }
            boolean meantToRun = restart == null || restart.startedAt > 0;
            if (meantToRun && !agent.alive()) {
                event("agent %d (pid %d) exited unexpectedly with code %s; starting it again", agent.incarnation(), agent.pid(), agent.exitCode());
                agent.start();
            }
            if (restart != null && restart.startedAt > 0 && restart.awaitingReady() && agent.ready()) {
                restart.readyAt = System.currentTimeMillis();
                churn.agentBack(restart.readyAt);
                event("agent %d ready %.1f s after the %s (%.1f s after its start); directories of pods deleted meanwhile go in %s s",
                        agent.incarnation(), (restart.readyAt - restart.signalAt) / 1000.0, restart.kind.label,
                        (restart.readyAt - restart.startedAt) / 1000.0, fmt(removeDelayMillis / 1000.0));
            }
            if (el >= nextTimeline) {
                timelineLine(el);
                nextTimeline += 10_000;
            }
            if (phase == Phase.DRAIN) {
                long delivered = metrics.delivered() + tailLogs.delivered() + podLogs.delivered();
                if (delivered != lastDelivered) {
                    lastDelivered = delivered;
                    lastGrowth = el;
                }
                boolean complete = metrics.delivered() >= farm.samplesProduced() && tailLogs.delivered() >= writer.produced()
                        && podLogs.delivered() >= podWriter.produced();
                boolean stalled = el - lastGrowth >= 30_000;
                boolean pastEnd = el >= totalMillis;
                if ((pastEnd && (complete || stalled)) || (complete && el - drainStart >= 15_000) || el >= totalMillis + drainGrace) {
                    event("drain ends: %s", complete ? "everything produced was delivered" : stalled ? "delivery stopped growing for 30 s" : "deadline");
                    timelineLine(el);
                    break;
                }
            }
            Thread.sleep(250);
        }
        endAt = System.currentTimeMillis();
        sampler.interrupt();
        sampler.join(10_000);
        snapshotCounters();
        AgentProcess.Stopped last = agent.stop(Duration.ofSeconds(20));
        event("agent %d stopped (SIGTERM): exit code %s after %.1f s%s", agent.incarnation(), last.exitCode(), last.millis() / 1000.0,
                last.forced() ? ", SIGKILL after 20 s" : "");
        for (String f : new String[]{writer.failure(), podWriter.failure()}) {
            if (f != null) {
                event("a log writer failed: %s", f);
            }
        }
        String report = new SoakReport(this).render();
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
        System.out.println();
        System.out.println(report);
        return 0;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * One phase at a time, and each for at least half its length: every phase's script runs and the storm is not
     * skipped when a loaded machine's start-ups (30 s and more) outlast a short run's phases. Not while the agent is
     * down, nor until the new one has run {@value #SETTLE_MILLIS} ms: discovery lists the pods some seconds after
     * readiness, and a stop right after a start would measure the start-up, not the stop.
     */
    private boolean mayLeavePhase(long now) {
        long[] w = window(phase);
        long nominal = phase.endMillis(totalMillis) - phase.startMillis(totalMillis);
        return !down() && (restart == null || now >= restart.readyAt + SETTLE_MILLIS) && now - w[0] >= nominal / 2;
    }

    /** Between a stop of the agent and the readiness of the new one. */
    private boolean down() {
        return restart != null && restart.awaitingReady();
    }

    /** The phase the run was in at an instant (as it happened: a phase may wait for a restarted agent). */
    Phase phaseAt(long epochMillis) {
        Phase p = Phase.WARMUP;
        for (long[] t : transitions) {
            if (epochMillis >= t[0]) {
                p = Phase.values()[(int) t[1]];
            }
        }
        return p;
    }

    /** The phase's window as it happened, {from, to} in epoch ms (to = the next phase's start, or the end of the run). */
    long[] window(Phase p) {
        long from = -1;
        long to = endAt;
        for (long[] t : transitions) {
            if (from >= 0 && t[1] != p.ordinal()) {
                to = t[0];
                break;
            }
            if (t[1] == p.ordinal()) {
                from = t[0];
            }
        }
        return from < 0 ? new long[]{endAt, endAt} : new long[]{from, to};
    }

    Restart restart(Restart.Kind kind) {
        return restarts.stream().filter(r -> r.kind == kind).findFirst().orElse(null);
    }

    private void enter(Phase next) throws Exception {
        phase = next;
        long now = System.currentTimeMillis();
        transitions.add(new long[]{now, next.ordinal()});
        event("phase %s", next.label);
        switch (next) {
            case OUTAGE -> {
                rwReceiver.mode(SwitchableServer.Mode.REFUSE_503);
                lokiReceiver.mode(SwitchableServer.Mode.CLOSED);
                event("outage, first half: remote-write receiver answers 503, Loki receiver closed (connection refused)");
            }
            case RECOVERY -> {
                rwReceiver.mode(SwitchableServer.Mode.UP);
                lokiReceiver.mode(SwitchableServer.Mode.UP);
                event("receivers up again");
            }
            case KILL -> {
                snapshotCounters();
                restart = new Restart(Restart.Kind.KILL, agent.incarnation(), System.currentTimeMillis());
                restarts.add(restart);
                long pid = agent.pid();
                agent.kill9();
                restart.goneAt = System.currentTimeMillis();
                event("kill -9 of agent %d (pid %d); it stays down %s s", agent.incarnation(), pid, fmt(downMillis / 1000.0));
                whileDown(restart, LogWriter.Rotation.RENAME_GZIP);
            }
            case GRACEFUL -> {
                snapshotCounters();
                restart = new Restart(Restart.Kind.GRACEFUL, agent.incarnation(), System.currentTimeMillis());
                restarts.add(restart);
                event("SIGTERM to agent %d (pid %d)", agent.incarnation(), agent.pid());
                restart.stop = agent.stop(Duration.ofSeconds(60));
                restart.goneAt = System.currentTimeMillis();
                event("agent %d exited %.1f s after the SIGTERM with code %s%s; it stays down %s s", agent.incarnation(),
                        restart.stop.millis() / 1000.0, restart.stop.exitCode(), restart.stop.forced() ? " (SIGKILL after 60 s)" : "",
                        fmt(downMillis / 1000.0));
                whileDown(restart, LogWriter.Rotation.COPYTRUNCATE, LogWriter.Rotation.RENAME);
            }
            case STORM -> {
                writer.storm(true);
                event("rotation storm: a file rotated every 1-2 s (rename, rename + gzip, rename, copytruncate, in turn)");
            }
            case DRAIN -> {
                writer.storm(false);
                writer.stop();
                podWriter.stop();
                churn.churning(false, now);
                farm.stopProducing();
                event("production stopped (targets answer 503, writers stopped, no more pod churn); draining");
            }
            default -> {
            }
        }
    }

    /**
     * The script of a down window: half the pods deleted and recreated at once (their old files written for a
     * moment more), the given tail rotations spread over the window, the agent started again at its end.
     */
    private void whileDown(Restart r, LogWriter.Rotation... rotations) throws IOException {
        long from = r.goneAt;
        int recreated = Math.max(1, pods / 2);
        churn.recreate(recreated, r.kind.podFate, from);
        event("%d pod(s) deleted and recreated while the agent is down (old logs written %.1f s more; their directories kept until it is back)",
                recreated, Math.min(2_000, downMillis / 3) / 1000.0);
        for (int i = 0; i < rotations.length; i++) {
            LogWriter.Rotation kind = rotations[i];
            script.at(from + downMillis * (i + 1) / (rotations.length + 2), () -> {
                writer.rotate(kind);
                event("tail file rotated while the agent is down: %s", kind.label);
            });
        }
        script.at(from + downMillis, () -> {
            agent.start();
            r.startedAt = System.currentTimeMillis();
            event("agent %d started on the same CARAVAN_DATA_DIR, %.1f s after the %s", agent.incarnation(),
                    (r.startedAt - r.signalAt) / 1000.0, r.kind.label);
        });
    }

    private void snapshotCounters() {
        Map<String, Double> c = agent.counters();
        if (c != null) {
            countersByIncarnation.put(agent.incarnation(), c);
        }
        long[] mem = agent.memory();
        if (mem != null) {
            hwmByIncarnation.merge(agent.incarnation(), mem[1], Math::max);
        }
    }

    private void sampleLoop() {
        long n = 0;
        while (true) {
            try {
                sample(n++ % 2 == 0);
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // keep sampling
            }
        }
    }

    private void sample(boolean withCounters) {
        int inc = agent.incarnation();
        long[] mem = agent.memory();
        long heap = (long) agent.meter("jvm.memory.used?tag=area:heap");
        long live = (long) agent.meter("jvm.gc.live.data.size");
        long disk = du(dataDir);
        long spill = du(dataDir.resolve("loki"));
        Map<String, Double> c = withCounters ? agent.counters() : null;
        synchronized (this) {
            if (mem != null && mem[1] > 0 && inc == agent.incarnation()) {
                hwmByIncarnation.merge(inc, mem[1], Math::max);
                peakRss = Math.max(peakRss, mem[1]);
                lastRss = mem[0];
            }
            if (heap > 0) {
                peakHeap = Math.max(peakHeap, heap);
                lastHeap = heap;
            }
            if (live > 0) {
                peakLive = Math.max(peakLive, live);
                lastLive = live;
            }
            peakDisk = Math.max(peakDisk, disk);
            peakSpill = Math.max(peakSpill, spill);
            lastDisk = disk;
            lastSpill = spill;
            long[] p = peaksByPhase.computeIfAbsent(phase, x -> new long[4]);
            p[0] = Math.max(p[0], mem == null ? 0 : mem[0]);
            p[1] = Math.max(p[1], heap);
            p[2] = Math.max(p[2], live);
            p[3] = Math.max(p[3], disk);
            if (c != null && inc == agent.incarnation()) {
                countersByIncarnation.put(inc, c);
            }
        }
    }

    private static long du(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while we looked
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void timelineLine(long el) {
        String line = String.format(Locale.ROOT,
                "t=%4ds %-16s | metrics %8s/%8s | tail %8s/%8s | pods %8s/%8s | rss %s heap %s live %s | disk %s (spill %s) | rw %s, loki %s%s",
                el / 1000, phase.label, count(metrics.delivered()), count(farm.samplesProduced()), count(tailLogs.delivered()), count(writer.produced()),
                count(podLogs.delivered()), count(podWriter.produced()), SoakReport.mib(lastRss), SoakReport.mib(lastHeap), SoakReport.mib(lastLive),
                SoakReport.mib(lastDisk), SoakReport.mib(lastSpill), mode(rwReceiver.mode()), mode(lokiReceiver.mode()), down() ? " | agent down" : "");
        timeline.add(line);
        System.out.println(line);
    }

    private static String mode(SwitchableServer.Mode m) {
        return switch (m) {
            case UP -> "up";
            case REFUSE_503 -> "503";
            case CLOSED -> "closed";
        };
    }

    private void event(String format, Object... args) {
        String e = String.format(Locale.ROOT, "t=%4ds ", t0 == 0 ? 0 : (System.currentTimeMillis() - t0) / 1000) + String.format(Locale.ROOT, format, args);
        events.add(e);
        System.out.println(e);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    static String tail(Path f, int n) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(" + e + ")";
        }
    }

    private static String count(long n) {
        if (n >= 10_000_000) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return String.valueOf(n);
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ---------------------------------------------------------------- clean-up

    private synchronized void stopChildren() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (agent != null) {
            agent.close();
        }
        if (writer != null) {
            writer.stop();
        }
        if (podWriter != null) {
            podWriter.stop();
        }
        if (rwReceiver != null) {
            rwReceiver.close();
        }
        if (lokiReceiver != null) {
            lokiReceiver.close();
        }
        if (farm != null) {
            farm.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void cleanUp() {
        stopChildren();
        if (work != null && !keep) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("soak: could not remove " + work + ": " + e);
            }
        } else if (work != null) {
            System.out.println("soak: work dir kept: " + work);
        }
    }
}
