package io.caravan.bench.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The soak harness (issue 8): the real agent as a child process between a target farm and a log writer on one side
 * and counting receivers on the other, all on loopback, through warm-up, steady load, a receiver outage, recovery,
 * a kill -9 and restart, a rotation storm and a drain; then a markdown report of produced, delivered, lost,
 * duplicated, counted-as-dropped, peak RSS, heap and disk. Run it through bench/soak.sh, whose header has the method.
 */
public final class Soak {

    // load and agent settings (command line)
    private double minutes = 10;
    private int targets = 25;
    private int series = 2000;
    private int linesPerSecond = 5000;
    private int logFiles = 4;
    private Path jar = Path.of("target/caravan.jar");
    private Path out;
    private boolean keep;
    private final List<String> agentJvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
    private final Map<String, String> remoteWriteOpts = new LinkedHashMap<>();
    private final Map<String, String> lokiOpts = new LinkedHashMap<>();

    // run state
    private long totalMillis;
    private long t0;
    private volatile Phase phase = Phase.WARMUP;
    private long killAt = -1;
    private long endAt;
    private long killDoneAt = -1;
    private long restartReadyMillis = -1;
    private final List<String> events = new ArrayList<>();
    private final List<String> timeline = new ArrayList<>();
    private final Map<Integer, Map<String, Double>> countersByIncarnation = new TreeMap<>();
    private final Map<Integer, Long> hwmByIncarnation = new TreeMap<>();
    private long peakRss;
    private long peakHeap;
    private long peakLive;
    private long peakDisk;
    private long peakSpill;
    private final Map<Phase, long[]> peaksByPhase = new EnumMap<>(Phase.class); // rss, heap, live, disk
    private volatile long lastRss;
    private volatile long lastHeap;
    private volatile long lastLive;
    private volatile long lastDisk;
    private volatile long lastSpill;

    private TargetFarm farm;
    private MetricsLedger metrics;
    private LogLedger logs;
    private LogWriter writer;
    private SwitchableServer rwReceiver;
    private SwitchableServer lokiReceiver;
    private AgentProcess agent;
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
                case "--jar" -> { jar = Path.of(v); i++; }
                case "--out" -> { out = Path.of(v); i++; }
                case "--agent-jvm" -> { agentJvm.clear(); agentJvm.addAll(List.of(v.trim().split("\\s+"))); i++; }
                case "--remote-write-opt" -> { pair(remoteWriteOpts, v); i++; }
                case "--loki-opt" -> { pair(lokiOpts, v); i++; }
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (--minutes N, --targets N, --series N, --lines-per-second N, --log-files N, --jar FILE, --out FILE,"
                        + " --agent-jvm 'FLAGS', --remote-write-opt name=value, --loki-opt name=value, --keep)");
            }
        }
        if (minutes <= 0 || targets < 1 || series < 1 || linesPerSecond < 1 || logFiles < 1) {
            throw new IllegalArgumentException("--minutes, --targets, --series, --lines-per-second, --log-files must be positive");
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
        long drainGrace = 180_000; // the drain may run past the nominal end until delivery stops growing
        int maxScrapes = (int) ((totalMillis + drainGrace) / 1000 * 2 + 100);
        int lineCapacity = (int) Math.min(Integer.MAX_VALUE - 1L, (long) linesPerSecond * (totalMillis / 1000 + 60));

        work = Files.createTempDirectory("caravan-soak-");
        dataDir = Files.createDirectories(work.resolve("data"));
        Path logDir = work.resolve("logs");
        Path agentLogs = Files.createDirectories(work.resolve("agent-logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopChildren, "soak-shutdown"));

        farm = new TargetFarm(targets, series, maxScrapes);
        metrics = new MetricsLedger(farm, maxScrapes);
        logs = new LogLedger(lineCapacity);
        rwReceiver = new SwitchableServer("soak-remote-write", "/api/v1/write", 4, metrics::receive);
        lokiReceiver = new SwitchableServer("soak-loki", "/loki/api/v1/push", 4, logs::receive);
        writer = new LogWriter(logDir, logFiles, linesPerSecond, lineCapacity, () -> phase.ordinal());

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
        agent = new AgentProcess(jar.toAbsolutePath(), agentJvm, env, agentLogs, httpPort);

        say("soak: %s min, %d targets x %d series at 1s (%,d samples/s), %,d lines/s over %d files; work dir %s",
                fmt(minutes), targets, series, targets * series, linesPerSecond, logFiles, work);
        say("soak: agent java %s -jar %s; built-in routes switched off: %s", String.join(" ", agentJvm), jar, String.join(", ", off));
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
        Thread writerThread = new Thread(writer, "soak-log-writer");
        writerThread.setDaemon(true);
        writerThread.start();
        sampler = new Thread(this::sampleLoop, "soak-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long nextTimeline = 0;
        boolean outageSwapped = false;
        long drainStart = -1;
        long lastGrowth = 0;
        long lastDelivered = -1;
        while (true) {
            long el = System.currentTimeMillis() - t0;
            Phase now = Phase.at(el, totalMillis);
            if (now == Phase.STORM && phase == Phase.RESTART && restartReadyMillis < 0) {
                now = Phase.RESTART; // the storm waits for the restarted agent (a short run's restart phase is shorter than a start-up)
            }
            if (now != phase) {
                enter(now);
                if (now == Phase.DRAIN) {
                    drainStart = el;
                    lastGrowth = el;
                }
            }
            if (phase == Phase.OUTAGE && !outageSwapped
                    && el >= (Phase.OUTAGE.startMillis(totalMillis) + Phase.OUTAGE.endMillis(totalMillis)) / 2) {
                outageSwapped = true;
                rwReceiver.mode(SwitchableServer.Mode.CLOSED);
                lokiReceiver.mode(SwitchableServer.Mode.REFUSE_503);
                event("outage, second half: remote-write receiver closed (connection refused), Loki receiver answers 503");
            }
            if (!agent.alive()) {
                event("agent %d (pid %d) exited unexpectedly with code %s; starting it again", agent.incarnation(), agent.pid(), agent.exitCode());
                agent.start();
            }
            if (restartReadyMillis < 0 && killAt > 0) {
                checkRestartReady();
            }
            if (el >= nextTimeline) {
                timelineLine(el);
                nextTimeline += 10_000;
            }
            if (phase == Phase.DRAIN) {
                long delivered = metrics.delivered() + logs.delivered();
                if (delivered != lastDelivered) {
                    lastDelivered = delivered;
                    lastGrowth = el;
                }
                boolean complete = metrics.delivered() >= farm.samplesProduced() && logs.delivered() >= writer.produced();
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
        Map<String, Double> last = agent.counters();
        if (last != null) {
            countersByIncarnation.put(agent.incarnation(), last);
        }
        agent.stop(Duration.ofSeconds(20));
        event("agent %d stopped (SIGTERM)", agent.incarnation());
        if (writer.failure() != null) {
            event("log writer failed: %s", writer.failure());
        }
        String report = report();
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
        System.out.println();
        System.out.println(report);
        return 0;
    }

    private final List<long[]> transitions = new ArrayList<>(); // {epoch ms, phase ordinal}

    /** The phase the run was in at an instant (as it happened: the storm may wait for the restarted agent). */
    private Phase phaseAt(long epochMillis) {
        Phase p = Phase.WARMUP;
        for (long[] t : transitions) {
            if (epochMillis >= t[0]) {
                p = Phase.values()[(int) t[1]];
            }
        }
        return p;
    }

    /** The phase's window as it happened, {from, to} in epoch ms (to = the next phase's start, or the end of the run). */
    private long[] window(Phase p) {
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

    private void enter(Phase next) throws Exception {
        phase = next;
        transitions.add(new long[]{System.currentTimeMillis(), next.ordinal()});
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
            case RESTART -> {
                Map<String, Double> c = agent.counters();
                if (c != null) {
                    countersByIncarnation.put(agent.incarnation(), c);
                }
                long[] mem = agent.memory();
                if (mem != null) {
                    hwmByIncarnation.merge(agent.incarnation(), mem[1], Math::max);
                }
                long pid = agent.pid();
                killAt = System.currentTimeMillis();
                agent.kill9();
                killDoneAt = System.currentTimeMillis();
                event("kill -9 of agent %d (pid %d)", agent.incarnation(), pid);
                agent.start();
                event("agent %d started on the same CARAVAN_DATA_DIR", agent.incarnation());
            }
            case STORM -> {
                writer.storm(true);
                event("rotation storm: a file rotated every 1-2 s (rename+create, every 4th copytruncate)");
            }
            case DRAIN -> {
                writer.storm(false);
                writer.stop();
                farm.stopProducing();
                event("production stopped (targets answer 503, writer stopped); draining");
            }
            default -> {
            }
        }
    }

    private void checkRestartReady() {
        if (agent.ready()) {
            restartReadyMillis = System.currentTimeMillis() - killAt;
            event("agent %d ready %.1f s after the kill", agent.incarnation(), restartReadyMillis / 1000.0);
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
                "t=%4ds %-14s | metrics produced %8s delivered %8s | logs produced %8s delivered %8s | rss %s heap %s live %s | disk %s (spill %s) | rw %s, loki %s",
                el / 1000, phase.label, count(farm.samplesProduced()), count(metrics.delivered()), count(writer.produced()), count(logs.delivered()),
                mib(lastRss), mib(lastHeap), mib(lastLive), mib(lastDisk), mib(lastSpill),
                mode(rwReceiver.mode()), mode(lokiReceiver.mode()));
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

    // ---------------------------------------------------------------- the report

    private String report() throws IOException {
        StringBuilder r = new StringBuilder();
        // metrics: walk every served scrape
        long[] mProduced = new long[Phase.values().length];
        long[] mLost = new long[Phase.values().length];
        long[] mDup = new long[Phase.values().length];
        long[] mScrapes = new long[Phase.values().length];
        long atKillServed = 0;
        long atKillLost = 0;
        long lostScrapes = 0;
        long partialScrapes = 0;
        long scrapes = 0;
        for (int t = 0; t < farm.targets(); t++) {
            for (int n = 1; n <= farm.served(t); n++) {
                scrapes++;
                long at = farm.servedAt(t, n);
                int got = metrics.received(t, n);
                int missing = series - got;
                if (got == 0) {
                    lostScrapes++;
                } else if (missing > 0) {
                    partialScrapes++;
                }
                mScrapes[phaseAt(at).ordinal()]++;
                if (killAt > 0 && at >= killAt - 1000 && at <= killDoneAt) {
                    atKillServed += series;
                    atKillLost += missing;
                    continue;
                }
                int p = phaseAt(at).ordinal();
                mProduced[p] += series;
                mLost[p] += missing;
                mDup[p] += metrics.duplicated(t, n);
            }
        }
        long mTotalProduced = scrapes * series;
        long mDelivered = metrics.delivered();
        // logs: walk every id
        long produced = writer.produced();
        long[] lProduced = new long[Phase.values().length];
        long[] lLost = new long[Phase.values().length];
        long[] lDup = new long[Phase.values().length];
        long[] lostByGeneration = new long[3];
        long lostRotatedWhileDown = 0;
        Map<Integer, Long> lostPerCopytruncate = new TreeMap<>();
        Map<Integer, Long> firstLost = new TreeMap<>();     // per copytruncated generation: its first lost id
        Map<Integer, Long> lastReceived = new TreeMap<>();  // and its last received id
        for (long id = 0; id < produced; id++) {
            int p = writer.phaseOf(id);
            lProduced[p]++;
            boolean copytruncated = writer.generationEndOf(id) == LogWriter.GEN_COPYTRUNCATED;
            if (copytruncated) {
                if (logs.received(id)) {
                    lastReceived.put(writer.generationOf(id), id);
                } else {
                    firstLost.putIfAbsent(writer.generationOf(id), id);
                }
            }
            if (!logs.received(id)) {
                lLost[p]++;
                lostByGeneration[writer.generationEndOf(id)]++;
                if (writer.generationEndOf(id) == LogWriter.GEN_COPYTRUNCATED) {
                    lostPerCopytruncate.merge(writer.generationOf(id), 1L, Long::sum);
                }
                long rotatedAt = writer.generationEndAtOf(id);
                if (killAt > 0 && rotatedAt >= killAt && (restartReadyMillis < 0 || rotatedAt <= killAt + restartReadyMillis)) {
                    lostRotatedWhileDown++;
                }
            } else if (logs.duplicated(id)) {
                lDup[p]++;
            }
        }
        long lDelivered = logs.delivered();

        Map<String, Double> rwDropped = sumCounters("caravan_remote_write_samples_dropped");
        Map<String, Double> lokiDropped = sumCounters("caravan_loki_entries_dropped");
        Map<String, Double> logsDropped = sumCounters("caravan_logs_dropped_entries");
        double rwDroppedTotal = rwDropped.values().stream().mapToDouble(Double::doubleValue).sum();
        double logDroppedTotal = lokiDropped.values().stream().mapToDouble(Double::doubleValue).sum()
                + logsDropped.values().stream().mapToDouble(Double::doubleValue).sum();

        r.append("# Caravan soak, ").append(Instant.ofEpochMilli(t0)).append("\n\n");
        r.append(String.format(Locale.ROOT, "Length %s min (phases scaled from 10 min), %d targets x %d series scraped every 1 s (%,d samples/s), "
                        + "%,d log lines/s over %d files (CRI), loopback receivers. Agent: `java %s -jar %s`, built-in routes off, "
                        + "soak routes as generated by `SoakRoutes` (remote-write options %s, loki options %s). Host: %d CPUs, `%s`.\n\n",
                fmt(minutes), targets, series, targets * series, linesPerSecond, logFiles, String.join(" ", agentJvm), jar,
                remoteWriteOpts.isEmpty() ? "default" : remoteWriteOpts, lokiOpts.isEmpty() ? "default" : lokiOpts,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));

        r.append("## Result\n\n");
        r.append("| | metrics (samples) | logs (lines) |\n|---|---:|---:|\n");
        row(r, "produced", mTotalProduced, produced);
        row(r, "delivered (distinct)", mDelivered, lDelivered);
        row(r, "lost", mTotalProduced - mDelivered, produced - lDelivered);
        row(r, "duplicated (distinct, received 2+ times)", metrics.duplicated(), logs.duplicated());
        row(r, "lost, counted as dropped by the agent", Math.round(rwDroppedTotal), Math.round(logDroppedTotal));
        row(r, "lost, not counted by the agent", Math.max(0, mTotalProduced - mDelivered - Math.round(rwDroppedTotal)),
                Math.max(0, produced - lDelivered - Math.round(logDroppedTotal)));
        r.append(String.format(Locale.ROOT, "| peak RSS (VmHWM, max of the incarnations) | %s | (same process) |%n", mib(peakRss)));
        r.append(String.format(Locale.ROOT, "| peak heap used / peak live data after GC | %s / %s | (same process) |%n", mib(peakHeap), mib(peakLive)));
        r.append(String.format(Locale.ROOT, "| peak disk of CARAVAN_DATA_DIR / of the Loki spill | %s / %s | |%n", mib(peakDisk), mib(peakSpill)));
        r.append("\n");
        int o = Phase.OUTAGE.ordinal();
        int k = Phase.RESTART.ordinal();
        long[] steadyPeaks = peaksByPhase.getOrDefault(Phase.STEADY, new long[4]);
        long[] outagePeaks = peaksByPhase.getOrDefault(Phase.OUTAGE, new long[4]);
        double avgPush = logs.requests() == 0 ? 0.0 : (double) (lDelivered + logs.duplicateCopies()) / logs.requests();
        r.append("\n### Against the bar\n\n");
        r.append(String.format(Locale.ROOT, "- Outage (receivers cut %s): metrics lost %,d of %,d samples produced during it (the agent counted %,.0f as dropped); "
                        + "logs lost %,d of %,d lines written during it. Loses nothing: metrics %s, logs %s.%n",
                clock(window(Phase.OUTAGE)[1] - window(Phase.OUTAGE)[0]), mLost[o], mProduced[o], rwDroppedTotal, lLost[o], lProduced[o],
                mLost[o] == 0 ? "yes" : "NO", lLost[o] == 0 ? "yes" : "NO"));
        r.append(String.format(Locale.ROOT, "- Kill -9: metrics lost %,d of the %,d samples in flight (served in the last second before it), %,d of the %,d produced after it; "
                        + "logs lost %,d of %,d lines written around it (kill+restart phase), %,d overall. Loses nothing: metrics %s, logs %s.%n",
                atKillLost, atKillServed, mLost[k], mProduced[k], lLost[k], lProduced[k], produced - lDelivered,
                atKillLost == 0 && mLost[k] == 0 ? "yes" : "NO", lLost[k] == 0 ? "yes" : "NO"));
        r.append(String.format(Locale.ROOT, "- Duplicates: metrics %,d (one batch is maxSamplesPerSend, 2,000 by default), logs %,d (a push carried %,.0f lines on average).%n",
                metrics.duplicated(), logs.duplicated(), avgPush));
        r.append(String.format(Locale.ROOT, "- Memory under backpressure: heap used peaked at %s in the outage against %s in steady load; live data after GC %s against %s; "
                        + "peak RSS %s; disk peaked at %s (the Loki spill's bound is maxSpillBytes, 512MiB by default).%n%n",
                mib(outagePeaks[1]), mib(steadyPeaks[1]), mib(outagePeaks[2]), mib(steadyPeaks[2]), mib(peakRss), mib(peakDisk)));
        r.append(String.format(Locale.ROOT, "Metrics: %,d scrapes served, %,d with no sample received, %,d partly received; %,d duplicate copies; "
                        + "%,d other samples (up, scrape_*), %,d staleness markers, %,d unexpected. "
                        + "The agent's dropped counter also counts the 5 report series per scrape (%.2f%% of the samples).%n",
                scrapes, lostScrapes, partialScrapes, metrics.duplicateCopies(), metrics.otherSamples(), metrics.staleMarkers(),
                metrics.unexpected(), 500.0 / (series + 5)));
        r.append(String.format(Locale.ROOT, "Logs: %,d rotations (%,d rename+create, %,d copytruncate); %,d duplicate copies; %,d lines without an id; "
                        + "%,d push requests accepted (%,.0f lines each on average).%n",
                writer.rotations(), writer.renames(), writer.copytruncates(), logs.duplicateCopies(), logs.unexpected(),
                logs.requests(), logs.requests() == 0 ? 0.0 : (double) (lDelivered + logs.duplicateCopies()) / logs.requests()));
        r.append(String.format(Locale.ROOT, "Receivers: remote-write %,d accepted, %,d answered 503, %,d failed%s; Loki %,d accepted, %,d answered 503, %,d failed%s.%n%n",
                rwReceiver.accepted.get(), rwReceiver.refused.get(), rwReceiver.failed.get(), rwReceiver.lastFailure == null ? "" : " (" + rwReceiver.lastFailure + ")",
                lokiReceiver.accepted.get(), lokiReceiver.refused.get(), lokiReceiver.failed.get(), lokiReceiver.lastFailure == null ? "" : " (" + lokiReceiver.lastFailure + ")"));

        r.append("## By phase (of production: when a scrape was served, when a line was written)\n\n");
        r.append("| phase | window | scrapes/s | metrics produced | metrics lost | metrics dup | logs produced | logs lost | logs dup | max RSS | max heap | max live | max disk |\n");
        r.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase p : Phase.values()) {
            long[] peaks = peaksByPhase.getOrDefault(p, new long[4]);
            long[] window = window(p);
            double seconds = Math.max(0.001, (window[1] - window[0]) / 1000.0);
            r.append(String.format(Locale.ROOT, "| %s | %s-%s | %.1f | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s | %s | %s |%n", p.label,
                    clock(window[0] - t0), clock(window[1] - t0), window[1] > window[0] ? mScrapes[p.ordinal()] / seconds : 0.0,
                    mProduced[p.ordinal()], mLost[p.ordinal()], mDup[p.ordinal()], lProduced[p.ordinal()], lLost[p.ordinal()], lDup[p.ordinal()],
                    mib(peaks[0]), mib(peaks[1]), mib(peaks[2]), mib(peaks[3])));
        }
        r.append(String.format(Locale.ROOT, "| in flight at the kill | served in the last 1 s before it (or while it died) | | %,d | %,d | | | | | | | | |%n%n", atKillServed, atKillLost));
        long down = killAt > 0 ? (restartReadyMillis > 0 ? restartReadyMillis : 0) : 0;
        long producing = window(Phase.DRAIN)[0] - t0 - down;
        long expected = targets * producing / 1000;
        r.append(String.format(Locale.ROOT, "Scrapes/s: scrapes served per second of the phase; %d when every target is scraped on time while the agent runs. "
                        + "Over the %,d s of production less the %,d s the agent was down, ~%,d scrapes were due and %,d served: ~%,d scrape slots missed "
                        + "(~%,d samples never produced, so in none of the figures above).%n",
                targets, (window(Phase.DRAIN)[0] - t0) / 1000, down / 1000, expected, scrapes, Math.max(0, expected - scrapes),
                Math.max(0, expected - scrapes) * series));
        r.append(String.format(Locale.ROOT, "Lost log lines by the fate of their file: live (never rotated) %,d, rotated by rename %,d, copytruncated %,d; "
                        + "of these, in a file rotated while the agent was down (kill to ready): %,d.%n",
                lostByGeneration[LogWriter.GEN_LIVE], lostByGeneration[LogWriter.GEN_RENAMED], lostByGeneration[LogWriter.GEN_COPYTRUNCATED], lostRotatedWhileDown));
        long tailOnly = firstLost.entrySet().stream().filter(e -> e.getValue() > lastReceived.getOrDefault(e.getKey(), -1L)).count();
        r.append(String.format(Locale.ROOT, "Copytruncate: %d events, %d of them lost lines, at most %,d lines in one (the writer puts %,d lines a second in each file); "
                        + "in %d of those %d the lost lines were the file's last lines before the truncate and nothing before them was lost.%n",
                writer.copytruncates(), lostPerCopytruncate.size(), lostPerCopytruncate.values().stream().mapToLong(Long::longValue).max().orElse(0),
                linesPerSecond / logFiles, tailOnly, firstLost.size()));
        r.append(String.format(Locale.ROOT, "Kill -9 at t=%s; the new agent was ready %s later (no scrapes and no reads meanwhile).%n%n",
                killAt < 0 ? "-" : clock(killAt - t0), restartReadyMillis < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", restartReadyMillis / 1000.0)));

        r.append("## The agent's own counters (sum of the incarnations' last readings)\n\n");
        r.append("Readings are taken every 2 s and just before the kill; what a killed process counted after its last reading is not here.\n\n");
        for (Map.Entry<Integer, Map<String, Double>> e : countersByIncarnation.entrySet()) {
            r.append(String.format(Locale.ROOT, "- agent %d (VmHWM %s): %s%n", e.getKey(), mib(hwmByIncarnation.getOrDefault(e.getKey(), 0L)), keyCounters(e.getValue())));
        }
        r.append("\n");
        dropped(r, "remote-write samples dropped", rwDropped);
        dropped(r, "loki entries dropped", lokiDropped);
        dropped(r, "log source entries dropped", logsDropped);
        r.append("\n## Events\n\n```\n");
        events.forEach(e -> r.append(e).append('\n'));
        r.append("```\n\n## Timeline (every 10 s)\n\n```\n");
        timeline.forEach(e -> r.append(e).append('\n'));
        r.append("```\n\n## Agent logs (WARN and ERROR, first distinct messages)\n\n");
        for (int i = 1; i <= agent.incarnation(); i++) {
            r.append(logSummary(i));
        }
        return r.toString();
    }

    private static void row(StringBuilder r, String name, long m, long l) {
        r.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", name, m, l));
    }

    private Map<String, Double> sumCounters(String prefix) {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, Double> c : countersByIncarnation.values()) {
            c.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.merge(k, v, Double::sum);
                }
            });
        }
        return out;
    }

    private static void dropped(StringBuilder r, String what, Map<String, Double> m) {
        List<String> nonZero = new ArrayList<>();
        m.forEach((k, v) -> {
            if (v > 0) {
                nonZero.add(String.format(Locale.ROOT, "`%s` %,.0f", k, v));
            }
        });
        r.append("- ").append(what).append(": ").append(nonZero.isEmpty() ? "none" : String.join(", ", nonZero)).append('\n');
    }

    private static String keyCounters(Map<String, Double> c) {
        String[] keys = {"caravan_remote_write_samples_in", "caravan_remote_write_samples_sent", "caravan_remote_write_samples_retried",
                "caravan_remote_write_samples_dropped", "caravan_logs_lines_read", "caravan_logs_rotations", "caravan_logs_truncations",
                "caravan_loki_entries_in", "caravan_loki_entries_sent", "caravan_loki_entries_retried", "caravan_loki_entries_dropped"};
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            double sum = 0;
            boolean found = false;
            for (Map.Entry<String, Double> e : c.entrySet()) {
                String name = e.getKey().replaceFirst("\\{.*", "").replaceFirst("_total$", "");
                if (name.equals(k)) {
                    sum += e.getValue();
                    found = true;
                }
            }
            if (found) {
                parts.add(String.format(Locale.ROOT, "%s %,.0f", k.replace("caravan_", ""), sum));
            }
        }
        return String.join(", ", parts);
    }

    private String logSummary(int incarnation) {
        Path f = agent.logFile(incarnation);
        StringBuilder b = new StringBuilder();
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            long warn = 0;
            long error = 0;
            Set<String> distinct = new LinkedHashSet<>();
            for (String line : lines) {
                boolean isError = line.contains(" ERROR ");
                boolean isWarn = line.contains(" WARN ");
                if (isError) {
                    error++;
                }
                if (isWarn) {
                    warn++;
                }
                if ((isError || isWarn) && distinct.size() < 8) {
                    String msg = line.replaceFirst("^\\S+\\s+", "").replaceAll("\\d+", "N");
                    distinct.add(msg.length() > 220 ? msg.substring(0, 220) + "..." : msg);
                }
            }
            b.append(String.format(Locale.ROOT, "agent %d: %,d lines, %,d WARN, %,d ERROR%n", incarnation, lines.size(), warn, error));
            if (!distinct.isEmpty()) {
                b.append("```\n");
                distinct.forEach(d -> b.append(d).append('\n'));
                b.append("```\n");
            }
            b.append('\n');
        } catch (IOException | RuntimeException e) {
            b.append("agent ").append(incarnation).append(": log unreadable (").append(e).append(")\n\n");
        }
        return b.toString();
    }

    private static String tail(Path f, int n) {
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

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0fMiB", bytes / 1048576.0);
    }

    private static String clock(long millis) {
        long s = Math.max(0, millis) / 1000;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String fmt(double d) {
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
        if (rwReceiver != null) {
            rwReceiver.close();
        }
        if (lokiReceiver != null) {
            lokiReceiver.close();
        }
        if (farm != null) {
            farm.close();
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
