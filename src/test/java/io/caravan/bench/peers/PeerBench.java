package io.caravan.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.image.ImageLayout;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caravan side by side with the real peers from Debian's packages, on loopback, one measured process at a time:
 * <ol>
 * <li>metrics path: a farm of cAdvisor-sized targets scraped, relabelled and remote-written by the Caravan jar
 *     and by Prometheus in agent mode (same targets file, rules, interval, external labels), each to its own
 *     counting receiver; CPU seconds per million samples delivered in a steady-state window, peak RSS;</li>
 * <li>node exporter: CPU and allocation per scrape of the eleven collectors, Caravan's (served over HTTP by
 *     {@link NodeExporterServer}) and prometheus-node-exporter restricted to the same collectors;</li>
 * <li>logs: the shipped audit and pod-logs pipelines from files to a counting Loki receiver (no peer);</li>
 * <li>start-up: spawn to ready and to the first remote write on the embedded default, RSS after idling.</li>
 * </ol>
 * Writes {@code peers-<UTC>.md} (a markdown table) to the results directory and prints it. Run by bench/peers.sh.
 * <p>
 * usage: PeerBench [--quick] --jar target/caravan.jar --results bench/results --run RUN_DIR
 */
public final class PeerBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
    /** The node exporter collectors Caravan implements (NodeExporterConfig.DEFAULT_COLLECTORS). */
    private static final List<String> COLLECTORS = List.of("cpu", "diskstats", "filesystem", "loadavg", "meminfo",
            "netdev", "netstat", "stat", "time", "uname", "vmstat");

    /** Caravan's JVM flags where it runs as a fat jar (metrics, logs): the image's collector and headers, the heap set. */
    /** Added to the image's JAVA_TOOL_OPTIONS where Caravan starts as the image does, e.g. to profile (bench/peers.sh). */
    static final String IMAGE_EXTRA_OPTS = " " + System.getenv().getOrDefault("CARAVAN_IMAGE_EXTRA_OPTS", "");


    private final boolean quick;
    private final Path jar;
    private final Path resultsDir;
    private final Path runDir;
    private final Procs procs;
    private final List<String> javaOpts;
    private final List<String> only;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    // workload
    private final int targets;
    private final int seriesPerTarget = 2000;
    private final int intervalSeconds;
    private final int warmSeconds;
    private final int rounds;
    private final int windowSeconds;
    private final int neWarm;
    private final int neScrapes;
    private final int auditWarmLines;
    private final int auditLines;
    private final int podContainers = 20;
    private final int podWarmLines;
    private final int podLines;
    private final int idleSeconds;

    private PeerBench(boolean quick, Path jar, Path resultsDir, Path runDir, String javaOpts, List<String> only) {
        this.quick = quick;
        this.only = only;
        this.jar = jar;
        this.resultsDir = resultsDir;
        this.runDir = runDir;
        this.procs = new Procs(runDir);
        this.javaOpts = List.of(javaOpts.trim().split("\\s+"));
        targets = quick ? 50 : 200;
        intervalSeconds = quick ? 10 : 15;
        warmSeconds = quick ? 15 : 30;
        windowSeconds = quick ? 30 : 75;
        rounds = quick ? 1 : 2;
        neWarm = quick ? 300 : 1000;
        neScrapes = quick ? 500 : 1000;
        auditWarmLines = quick ? 20_000 : 300_000;
        auditLines = Integer.getInteger("bench.auditLines", quick ? 200_000 : 400_000);
        podWarmLines = quick ? 50_000 : 600_000;
        podLines = Integer.getInteger("bench.podLines", quick ? 500_000 : 1_000_000);
        idleSeconds = quick ? 20 : 60;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path jar = Path.of("target/caravan.jar");
        Path results = Path.of("bench/results");
        Path run = null;
        List<String> only = List.of("metrics", "node-exporter", "logs", "startup", "seed");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jar" -> jar = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--run" -> run = Path.of(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (run == null) {
            run = Files.createTempDirectory("caravan-peers");
        }
        String opts = System.getenv().getOrDefault("CARAVAN_JAVA_OPTS", chartJavaOptions());
        PeerBench bench = new PeerBench(quick, jar.toAbsolutePath(), results, run, opts, only);
        int status = 0;
        try {
            bench.runAll();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        } finally {
            bench.procs.close();
        }
        System.exit(status);
    }

    private void runAll() throws Exception {
        for (String p : List.of(PROMETHEUS, NODE_EXPORTER)) {
            if (!Files.isExecutable(Path.of(p))) {
                throw new IllegalStateException(p + " not found: apt-get install -y prometheus prometheus-node-exporter");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: mvn -B -q package -DskipTests");
        }
        String started = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        String loadStart = loadAverage();
        long t0 = System.nanoTime();
        section("metrics", this::metricsPath);
        section("node-exporter", this::nodeExporter);
        section("logs", this::logsPath);
        section("startup", this::startUp);
        section("seed", this::seedLoad);
        String table = render(started, loadStart, loadAverage(), (System.nanoTime() - t0) / 1e9);
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve("peers-" + started + ".md");
        Files.writeString(out, table);
        System.out.println();
        System.out.println(table);
        System.out.println("kept in " + out);
    }

    interface Section {
        void run() throws Exception;
    }

    private void section(String name, Section s) {
        if (!only.contains(name)) {
            return;
        }
        log("== " + name + " (load " + loadAverage() + ")");
        try {
            s.run();
        } catch (Exception e) {
            e.printStackTrace();
            rows.add(new String[]{"**" + name + ": failed**", e.getClass().getSimpleName() + ": " + e.getMessage(), "", ""});
        } finally {
            procs.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- metrics path

    private void metricsPath() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("metrics"));
        try (TargetFarm farm = new TargetFarm(targets, seriesPerTarget)) {
            Path targetsFile = dir.resolve("targets.json");
            StringBuilder sd = new StringBuilder("[\n");
            for (int i = 0; i < targets; i++) {
                sd.append("  {\"targets\": [\"127.0.0.1:").append(farm.port()).append("\"], \"labels\": {\"node\": \"node-")
                        .append(i).append("\"}}").append(i + 1 < targets ? ",\n" : "\n");
            }
            Files.writeString(targetsFile, sd.append("]\n"));
            String targetRules = resource("bench/target-relabel.yaml");
            String metricRules = resource("bench/metric-relabel.yaml");
            Files.writeString(dir.resolve("target-relabel.yaml"), targetRules);
            Files.writeString(dir.resolve("metric-relabel.yaml"), metricRules);
            log("farm: " + targets + " targets x " + farm.seriesPerTarget() + " series, " + farm.bodyBytes / 1024 + " KiB per scrape, every "
                    + intervalSeconds + "s");

            // Caravan: its own pipeline file next to the built-ins switched off, the shipped sinks.yaml
            Path routes = offRoutes(dir.resolve("routes"), "sinks.yaml");
            Files.writeString(routes.resolve("bench-farm.yaml"), """
                    # bench/peers.sh: the farm's targets -> target relabel -> scrape (+ metric relabel) -> the shipped mimir sink
                    - route:
                        id: bench-farm
                        from:
                          uri: "static-targets:farm?file=%s"
                          steps:
                            - to: "relabel:farm?rules=file:%s"
                            - to: "scrape:farm?jobName=farm&interval=%ds&timeout=10s&metricRelabel=file:%s"
                    - route:
                        id: bench-farm-samples
                        from:
                          uri: scrape:farm
                          steps:
                            - to: direct:mimir
                    """.formatted(targetsFile, dir.resolve("target-relabel.yaml"), intervalSeconds, dir.resolve("metric-relabel.yaml")));
            // Prometheus in agent mode: same file_sd file, same rules, same interval and timeout, same external label
            String promYml = """
                    global:
                      scrape_interval: %ds
                      scrape_timeout: 10s
                      external_labels:
                        cluster: conveyor-platform
                    scrape_configs:
                      - job_name: farm
                        file_sd_configs:
                          - files: ['%s']
                        relabel_configs:
                    %s
                        metric_relabel_configs:
                    %s
                    remote_write:
                      - url: '%s'
                    """;
            // Rounds alternate Caravan and Prometheus (ABAB), so a change in the machine's load hits both sides.
            long perInterval = (long) targets * (keptSeries(farm) + 5);
            List<MetricsRun> caravanRounds = new ArrayList<>();
            List<MetricsRun> promRounds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                try (CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite()) {
                    Map<String, String> env = caravanEnv(dir.resolve("caravan-data-" + round));
                    env.put("CARAVAN_ROUTES_DIR", routes.toString());
                    env.put("MIMIR_WRITE_URL", rw.url());
                    caravanRounds.add(measureMetrics("caravan-metrics-" + round, caravanCommand(), env, rw, perInterval));
                }
                try (CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite()) {
                    Path yml = dir.resolve("prometheus.yml");
                    Files.writeString(yml, promYml.formatted(intervalSeconds, targetsFile, indent(targetRules, 6), indent(metricRules, 6), rw.url()));
                    int port = freePort();
                    promRounds.add(measureMetrics("prometheus-agent-" + round, List.of(PROMETHEUS, "--enable-feature=agent", "--config.file=" + yml,
                            "--storage.agent.path=" + dir.resolve("prom-agent-" + round), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"),
                            Map.of(), rw, perInterval));
                }
            }
            MetricsRun caravan = MetricsRun.sum(caravanRounds);
            MetricsRun prom = MetricsRun.sum(promRounds);
            heading("Metrics path: " + targets + " targets x " + seriesPerTarget + " series (cAdvisor-shaped), every " + intervalSeconds
                    + "s, " + (rounds > 1 ? rounds + " rounds (Caravan, Prometheus, Caravan, ...) of " : "") + windowSeconds + "s window after "
                    + "steady state (>= " + warmSeconds + "s warm-up)", caravan.load + " / " + prom.load);
            row("CPU s per million samples delivered", f2(caravan.cpuPerMillion()), f2(prom.cpuPerMillion()), ratio(caravan.cpuPerMillion(), prom.cpuPerMillion()));
            if (rounds > 1) {
                List<String> c = new ArrayList<>();
                List<String> pr = new ArrayList<>();
                List<String> r = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    c.add(f2(caravanRounds.get(i).cpuPerMillion()));
                    pr.add(f2(promRounds.get(i).cpuPerMillion()));
                    r.add(ratio(caravanRounds.get(i).cpuPerMillion(), promRounds.get(i).cpuPerMillion()));
                }
                row("… each round", String.join(" / ", c), String.join(" / ", pr), String.join(" / ", r));
            }
            row("CPU cores used (CPU s / wall s)", f3(caravan.cpu / caravan.wall), f3(prom.cpu / prom.wall), ratio(caravan.cpu / caravan.wall, prom.cpu / prom.wall));
            row("samples delivered per second", f0(caravan.samples / caravan.wall), f0(prom.samples / prom.wall), ratio(caravan.samples / caravan.wall, prom.samples / prom.wall));
            row("samples delivered in the window(s) / expected", f3(caravan.samples / (double) caravan.expected), f3(prom.samples / (double) prom.expected),
                    ratio(caravan.samples / (double) caravan.expected, prom.samples / (double) prom.expected));
            row("distinct series delivered (whole run)", Long.toString(caravan.series), Long.toString(prom.series), ratio(caravan.series, prom.series));
            row("peak RSS (VmHWM), MiB", mib(caravan.hwmKiB), mib(prom.hwmKiB), ratio(caravan.hwmKiB, prom.hwmKiB));
            row("RSS at end of window (VmRSS), MiB", mib(caravan.rssKiB), mib(prom.rssKiB), ratio(caravan.rssKiB, prom.rssKiB));
            double expected = (double) targets * (keptSeries(farm) + 5) / intervalSeconds;
            notes.add("Metrics: expected " + f0(expected) + " samples/s (" + keptSeries(farm) + " series kept per target after the metric relabel rules + 5 report series, "
                    + "x targets / interval); receiver errors: Caravan " + caravan.errors + ", Prometheus " + prom.errors
                    + "; farm bodies " + farm.bodyBytes / 1024 + " KiB uncompressed.");
        }
    }

    record MetricsRun(double cpu, double wall, long samples, long expected, long series, long hwmKiB, long rssKiB, long errors, String load) {
        /** Rounds together: CPU, time and samples added, memory the largest, loads listed. */
        static MetricsRun sum(List<MetricsRun> rounds) {
            double cpu = 0;
            double wall = 0;
            long samples = 0;
            long expected = 0;
            long series = 0;
            long hwm = 0;
            long rss = 0;
            long errors = 0;
            List<String> loads = new ArrayList<>();
            for (MetricsRun r : rounds) {
                cpu += r.cpu;
                wall += r.wall;
                samples += r.samples;
                expected += r.expected;
                series = Math.max(series, r.series);
                hwm = Math.max(hwm, r.hwmKiB);
                rss = Math.max(rss, r.rssKiB);
                errors += r.errors;
                loads.add(r.load.split(" ")[0]);
            }
            return new MetricsRun(cpu, wall, samples, expected, series, hwm, rss, errors, String.join(", ", loads));
        }

        double cpuPerMillion() {
            return samples == 0 ? Double.NaN : cpu / (samples / 1e6);
        }
    }

    private MetricsRun measureMetrics(String name, List<String> cmd, Map<String, String> env, CountingReceivers.RemoteWrite rw,
                                      long perInterval) throws Exception {
        log(name + ": starting");
        Process p = procs.start(name, cmd, env);
        try {
            waitFor(name, p, () -> rw.samples.get(), 1, 120);
            // Steady state: at least warmSeconds, and the last interval delivered what one interval scrapes (within 5%)
            // with every series seen: a sender still draining a start-up backlog would otherwise look cheaper per sample.
            long warmStart = System.nanoTime();
            sleep(Math.max(0, warmSeconds - intervalSeconds));
            long series = perInterval;   // one sample per series per interval
            while (true) {
                long c0 = rw.samples.get();
                sleep(intervalSeconds);
                long d = rw.samples.get() - c0;
                double warmed = (System.nanoTime() - warmStart) / 1e9;
                if (Math.abs(d / (double) perInterval - 1) <= 0.05 && rw.series.size() >= series) {
                    log(name + ": steady after " + f0(warmed) + "s (last interval " + d + " samples, expected " + perInterval + ")");
                    break;
                }
                if (warmed > 150) {
                    notes.add(name + ": not steady after " + f0(warmed) + " s of warm-up (last interval " + d + " samples, expected " + perInterval
                            + "); measured anyway");
                    break;
                }
            }
            String load = loadAverage();
            ProcMeter.Reading r0 = ProcMeter.read(p.pid());
            long s0 = rw.samples.get();
            sleep(windowSeconds);
            ProcMeter.Reading r1 = ProcMeter.read(p.pid());
            long s1 = rw.samples.get();
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " died: " + procs.tail(name, 30));
            }
            MetricsRun m = new MetricsRun(r1.cpuSecondsSince(r0), r1.secondsSince(r0), s1 - s0, perInterval * windowSeconds / intervalSeconds,
                    rw.series.size(), r1.hwmKiB(), r1.rssKiB(), rw.errors.get(), load);
            log(name + ": " + m + (rw.errors.get() > 0 ? " last receiver error: " + rw.lastError : ""));
            return m;
        } finally {
            procs.stop(p);
        }
    }

    /** Series per target that pass the metric relabel rules: the farm's fixture run through Caravan's relabel code. */
    private int keptSeries(TargetFarm farm) throws Exception {
        io.caravan.relabel.RelabelRules rules = io.caravan.relabel.RelabelRules.parse(resource("bench/metric-relabel.yaml"), "metric-relabel.yaml");
        int kept = 0;
        for (String[] line : TargetFarm.fixture(seriesPerTarget)) {
            String l = line[0].substring(line[0].lastIndexOf('\n') + 1);
            String metric = l.substring(0, l.indexOf('{'));
            if (rules.apply(io.caravan.model.Labels.of("__name__", metric)) != null) {
                kept++;
            }
        }
        return kept;
    }

    // ------------------------------------------------------------------------------------------- node exporter

    private void nodeExporter() throws Exception {
        List<String> neBase = new ArrayList<>(List.of(NODE_EXPORTER, "--collector.disable-defaults"));
        for (String c : COLLECTORS) {
            neBase.add("--collector." + c);
        }
        // CPU: node_exporter without its own go_/process_ metrics, so both serve the eleven collectors only. Both
        // processes are up; they are scraped in alternating blocks, so only one works (and is measured) at a time and
        // a change in the machine's load hits both.
        int port = freePort();
        List<String> cmd = new ArrayList<>(neBase);
        cmd.addAll(List.of("--web.listen-address=127.0.0.1:" + port, "--web.disable-exporter-metrics"));
        int port3 = freePort();
        List<String> ccmd = new ArrayList<>();
        ccmd.add(java);
        ccmd.addAll(javaOpts);
        ccmd.addAll(List.of("-Dsun.net.httpserver.nodelay=true", "-cp", System.getProperty("java.class.path"),
                NodeExporterServer.class.getName(), Integer.toString(port3)));
        log("node_exporter and caravan-node-exporter: starting");
        Process ne = procs.start("node_exporter", cmd, Map.of());
        Process cne = procs.start("caravan-node-exporter", ccmd, Map.of());
        URI neUri = URI.create("http://127.0.0.1:" + port + "/metrics");
        URI cUri = URI.create("http://127.0.0.1:" + port3 + "/metrics");
        awaitHttp("node_exporter", ne, neUri, 60);
        awaitHttp("caravan-node-exporter", cne, cUri, 60);
        for (int i = 0; i < neWarm; i++) {
            get(neUri);
            get(cUri);
        }
        String load = loadAverage();
        int blocks = quick ? 2 : 4;
        int perBlock = neScrapes / blocks;
        double[] cpu = new double[2];
        double[] wall = new double[2];
        double alloc = 0;
        String[] body = new String[2];
        List<String> perBlockRatios = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            double[] blockCpu = new double[2];
            for (int k = 0; k < 2; k++) {
                int side = (b + k) % 2;   // 0 = Caravan, 1 = node_exporter; who goes first alternates
                Process p = side == 0 ? cne : ne;
                URI uri = side == 0 ? cUri : neUri;
                double a0 = side == 0 ? jvmAlloc(port3) : 0;
                ProcMeter.Reading r0 = ProcMeter.read(p.pid());
                for (int i = 0; i < perBlock; i++) {
                    body[side] = get(uri);
                }
                ProcMeter.Reading r1 = ProcMeter.read(p.pid());
                if (side == 0) {
                    alloc += jvmAlloc(port3) - a0;
                }
                blockCpu[side] = r1.cpuSecondsSince(r0);
                cpu[side] += blockCpu[side];
                wall[side] += r1.secondsSince(r0);
            }
            perBlockRatios.add(ratio(blockCpu[0], blockCpu[1]));
        }
        int n = perBlock * blocks;
        NeRun caravan = new NeRun(cpu[0] * 1000 / n, wall[0] * 1000 / n, alloc / n, samples(body[0]), body[0].length(),
                ProcMeter.read(cne.pid()).hwmKiB(), load);
        NeRun peer = new NeRun(cpu[1] * 1000 / n, wall[1] * 1000 / n, 0, samples(body[1]), body[1].length(), ProcMeter.read(ne.pid()).hwmKiB(), load);
        log("caravan-node-exporter: " + caravan + "; node_exporter: " + peer + "; CPU ratio per block " + perBlockRatios);
        procs.stop(ne);
        procs.stop(cne);
        // allocation: a node_exporter with its Go metrics on, alone, go_memstats_alloc_bytes_total over the scrapes
        int port2 = freePort();
        List<String> cmd2 = new ArrayList<>(neBase);
        cmd2.add("--web.listen-address=127.0.0.1:" + port2);
        NeRun peerAlloc = measureNe("node_exporter-alloc", cmd2, port2, PeerBench::goAlloc);
        heading("Node exporter: the eleven collectors, " + n + " back-to-back scrapes each, in " + blocks + " alternating blocks, after " + neWarm
                + " warm-up, over HTTP, uncompressed", load);
        row("CPU ms per scrape", f3(caravan.cpuMsPerScrape), f3(peer.cpuMsPerScrape), ratio(caravan.cpuMsPerScrape, peer.cpuMsPerScrape));
        row("… each block (ratio)", "", "", String.join(" / ", perBlockRatios));
        row("wall ms per scrape (client side)", f3(caravan.wallMsPerScrape), f3(peer.wallMsPerScrape), ratio(caravan.wallMsPerScrape, peer.wallMsPerScrape));
        row("allocated KiB per scrape", f1(caravan.allocPerScrape / 1024), f1(peerAlloc.allocPerScrape / 1024),
                ratio(caravan.allocPerScrape, peerAlloc.allocPerScrape));
        row("samples per scrape (lines not #)", Long.toString(caravan.samplesPerScrape), Long.toString(peer.samplesPerScrape),
                ratio(caravan.samplesPerScrape, peer.samplesPerScrape));
        row("body KiB per scrape", f1(caravan.bodyBytes / 1024.0), f1(peer.bodyBytes / 1024.0), ratio(caravan.bodyBytes, peer.bodyBytes));
        row("peak RSS (VmHWM), MiB", mib(caravan.hwmKiB), mib(peer.hwmKiB), ratio(caravan.hwmKiB, peer.hwmKiB));
        notes.add("Node exporter: Caravan's exporter is served by NodeExporterServer (the NodeExporter class in its own JVM with Caravan's flags, "
                + "JDK HttpServer); both exporters run, scraped in alternating blocks (only the scraped one is measured); allocation from "
                + "com.sun.management.ThreadMXBean (all live threads) for Caravan, from go_memstats_alloc_bytes_total of a further node_exporter "
                + "run alone with its Go metrics on for node_exporter.");
    }

    private static long samples(String body) {
        return body.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }

    record NeRun(double cpuMsPerScrape, double wallMsPerScrape, double allocPerScrape, long samplesPerScrape, long bodyBytes, long hwmKiB, String load) {
    }

    private NeRun measureNe(String name, List<String> cmd, int port, java.util.function.ToDoubleFunction<String> allocFromBody) throws Exception {
        log(name + ": starting");
        Process p = procs.start(name, cmd, Map.of());
        try {
            URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
            awaitHttp(name, p, metrics, 60);
            String body = "";
            for (int i = 0; i < neWarm; i++) {
                body = get(metrics);
            }
            String load = loadAverage();
            boolean jvm = allocFromBody == null && name.startsWith("caravan");
            double a0 = jvm ? jvmAlloc(port) : allocFromBody != null ? allocFromBody.applyAsDouble(body) : 0;
            ProcMeter.Reading r0 = ProcMeter.read(p.pid());
            for (int i = 0; i < neScrapes; i++) {
                body = get(metrics);
            }
            ProcMeter.Reading r1 = ProcMeter.read(p.pid());
            double a1 = jvm ? jvmAlloc(port) : allocFromBody != null ? allocFromBody.applyAsDouble(body) : 0;
            long samples = body.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
            NeRun run = new NeRun(r1.cpuSecondsSince(r0) * 1000 / neScrapes, r1.secondsSince(r0) * 1000 / neScrapes,
                    (a1 - a0) / neScrapes, samples, body.getBytes(StandardCharsets.UTF_8).length, r1.hwmKiB(), load);
            log(name + ": " + run);
            return run;
        } finally {
            procs.stop(p);
        }
    }

    private static double jvmAlloc(int port) throws Exception {
        return Double.parseDouble(get(URI.create("http://127.0.0.1:" + port + "/alloc")).trim().split(" ")[0]);
    }

    private static double goAlloc(String body) {
        Matcher m = Pattern.compile("(?m)^go_memstats_alloc_bytes_total (\\S+)$").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no go_memstats_alloc_bytes_total in node_exporter's output");
        }
        return Double.parseDouble(m.group(1));
    }

    // ------------------------------------------------------------------------------------------------ logs path

    private void logsPath() throws Exception {
        LogsRun audit = auditRun();
        LogsRun pods = podLogsRun();
        heading("Logs path (no peer binary here: Caravan alone), files -> shipped pipeline -> counting Loki receiver", audit.load + " / " + pods.load);
        row("audit: lines per second (wall)", f0(audit.linesPerSecond()), "—", "");
        row("audit: lines per CPU-second (per core)", f0(audit.linesPerCpuSecond()), "—", "");
        row("audit: peak RSS (VmHWM), MiB", mib(audit.hwmKiB), "—", "");
        row("pod-logs: lines per second (wall)", f0(pods.linesPerSecond()), "—", "");
        row("pod-logs: lines per CPU-second (per core)", f0(pods.linesPerCpuSecond()), "—", "");
        row("pod-logs: peak RSS (VmHWM), MiB", mib(pods.hwmKiB), "—", "");
        notes.add("Logs: audit = " + auditLines + " kube-apiserver audit lines (~1 KB, from src/test/resources/loki/audit.log, " + audit.dropped
                + " of them of a kind stages/audit.yaml drops) appended to the tailed file after the warm-up (below); received "
                + audit.received + "/" + audit.expected + ". pod-logs = " + podLines + " CRI lines (~" + POD_LINE_BYTES + " B, 1% blank, dropped) over "
                + podContainers + " containers' files after the warm-up, targets from a static list with the pod labels "
                + "(the route is the shipped pod-logs.yaml with k8s-discovery: replaced); received " + pods.received + "/" + pods.expected + ".");
    }

    record LogsRun(long lines, double cpu, double wall, long received, long expected, long dropped, long hwmKiB, String load) {
        double linesPerSecond() {
            return lines / wall;
        }

        double linesPerCpuSecond() {
            return lines / cpu;
        }
    }

    private static final Pattern AUDIT_DROP = Pattern.compile("^(selfsubjectaccessreviews|selfsubjectrulesreviews|leases|customresourcedefinitions)$");

    private LogsRun auditRun() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("audit"));
        ObjectMapper json = new ObjectMapper();
        List<byte[]> lines = new ArrayList<>();
        List<Boolean> dropped = new ArrayList<>();
        for (String l : resource("loki/audit.log").split("\n")) {
            if (l.isBlank() || l.length() > 4096) {
                continue;   // the 330 KB CRD line: dropped by the pipeline, it would only measure JSON skipping
            }
            lines.add((l + "\n").getBytes(StandardCharsets.UTF_8));
            dropped.add(AUDIT_DROP.matcher(json.readTree(l).path("objectRef").path("resource").asText("")).matches());
        }
        Path file = dir.resolve("audit.log");
        long[] warmKept = writeAudit(file, lines, dropped, 0, auditWarmLines);
        Path routes = offRoutes(dir.resolve("routes"), "sinks.yaml", "audit-logs.yaml");
        try (CountingReceivers.Loki loki = new CountingReceivers.Loki()) {
            Map<String, String> env = caravanEnv(dir.resolve("data"));
            env.put("CARAVAN_ROUTES_DIR", routes.toString());
            env.put("AUDIT_LOG_PATH", file.toString());
            env.put("LOKI_WRITE_URL_LOCAL", loki.url());
            return measureLogs("caravan-audit", env, loki, warmKept[0], (offset, n) -> writeAudit(file, lines, dropped, offset, n),
                    auditWarmLines, 200_000, auditLines);
        }
    }

    /** Appends n lines (cycling the fixture from offset), returns {kept, dropped}. */
    private static long[] writeAudit(Path file, List<byte[]> lines, List<Boolean> dropped, int offset, int n) throws IOException {
        long kept = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 20)) {
            for (int i = 0; i < n; i++) {
                int k = (offset + i) % lines.size();
                out.write(lines.get(k));
                if (!dropped.get(k)) {
                    kept++;
                }
            }
        }
        return new long[]{kept, n - kept};
    }

    static final int POD_LINE_BYTES = 300;

    private LogsRun podLogsRun() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("pods"));
        Path routes = offRoutes(dir.resolve("routes"), "sinks.yaml");
        List<Path> files = podLogsRoute(dir, routes);
        Path base = dir.resolve("var-log-pods");
        long[] warm = writePodLines(files, 0, podWarmLines);
        try (CountingReceivers.Loki loki = new CountingReceivers.Loki()) {
            Map<String, String> env = caravanEnv(dir.resolve("data"));
            env.put("CARAVAN_ROUTES_DIR", routes.toString());
            env.put("POD_LOGS_DIR", base.toString());
            env.put("NODE_NAME", "bench-node");
            env.put("LOKI_WRITE_URL_LOCAL", loki.url());
            return measureLogs("caravan-pod-logs", env, loki, warm[0], (offset, n) -> writePodLines(files, offset, n), podWarmLines, 300_000,
                    podLines);
        }
    }

    /**
     * The shipped pod-logs.yaml in {@code routes}, reading podContainers containers' CRI files under dir/var-log-pods
     * from a static target list (no API server here); returns the files, one per container.
     */
    private List<Path> podLogsRoute(Path dir, Path routes) throws IOException {
        Path base = Files.createDirectories(dir.resolve("var-log-pods"));
        List<Path> files = new ArrayList<>();
        StringBuilder targetsYaml = new StringBuilder();
        String[] ns = {"shop", "payments", "search", "monitoring"};
        for (int c = 0; c < podContainers; c++) {
            String namespace = ns[c % ns.length];
            String pod = "app" + c + "-7f9c6d8b5-x" + c;
            String uid = String.format("5d9dc9f8-1818-e811-892f-%012x", c);
            String container = "app" + c;
            Path cdir = Files.createDirectories(base.resolve(namespace + "_" + pod + "_" + uid).resolve(container));
            files.add(cdir.resolve("0.log"));
            targetsYaml.append("- __address__: \"10.42.0.").append(10 + c).append(":8080\"\n")
                    .append("  __meta_kubernetes_namespace: ").append(namespace).append('\n')
                    .append("  __meta_kubernetes_pod_name: ").append(pod).append('\n')
                    .append("  __meta_kubernetes_pod_uid: ").append(uid).append('\n')
                    .append("  __meta_kubernetes_pod_container_name: ").append(container).append('\n')
                    .append("  __meta_kubernetes_pod_phase: Running\n")
                    .append("  __meta_kubernetes_pod_node_name: bench-node\n")
                    .append("  __meta_kubernetes_pod_label_app_kubernetes_io_name: app").append(c).append('\n');
        }
        Path targetsFile = dir.resolve("pods.yaml");
        Files.writeString(targetsFile, targetsYaml);
        String shipped = resource("routes/pod-logs.yaml");
        String from = "k8s-discovery:pod?nodeName={{NODE_NAME:}}";
        if (!shipped.contains(from)) {
            throw new IllegalStateException("routes/pod-logs.yaml no longer reads " + from + ": update PeerBench.podLogsRoute");
        }
        Files.writeString(routes.resolve("pod-logs.yaml"), shipped.replace(from, "static-targets:pods?file=" + targetsFile));
        return files;
    }

    /** Appends n CRI lines spread over the containers' files (line i to file i % files), 1 in 100 blank; returns {kept, dropped}. */
    private static long[] writePodLines(List<Path> files, int offset, int n) throws IOException {
        List<OutputStream> outs = new ArrayList<>();
        try {
            for (Path f : files) {
                outs.add(new BufferedOutputStream(Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 256 << 10));
            }
            long blank = 0;
            long t = 1_741_943_400_000_000_000L + offset * 1_000_000L;
            StringBuilder sb = new StringBuilder(512);
            for (int i = 0; i < n; i++) {
                int k = offset + i;
                long ts = t + i * 1_000_000L;
                sb.setLength(0);
                sb.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(ts / 1_000_000_000L, ts % 1_000_000_000L)))
                        .append(k % 7 == 0 ? " stderr F " : " stdout F ");
                if (k % 100 == 99) {
                    blank++;
                } else {
                    int start = sb.length();
                    sb.append("{\"level\":\"").append(k % 7 == 0 ? "warn" : "info").append("\",\"ts\":").append(ts / 1_000_000L)
                            .append(",\"logger\":\"http\",\"msg\":\"request completed\",\"method\":\"GET\",\"path\":\"/api/v1/orders/")
                            .append(k % 100_000).append("\",\"status\":200,\"duration_ms\":").append(k % 997).append('.').append(k % 10)
                            .append(",\"trace_id\":\"").append(String.format("%032x", k * 0x9E3779B97F4A7C15L & Long.MAX_VALUE))
                            .append("\",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\"");
                    while (sb.length() - start < POD_LINE_BYTES - 40) {
                        sb.append(",\"pad\":\"").append("x".repeat(Math.min(40, POD_LINE_BYTES - 40 - (sb.length() - start)))).append('"');
                    }
                    sb.append('}');
                }
                sb.append('\n');
                outs.get(k % outs.size()).write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            return new long[]{n - blank, blank};
        } finally {
            for (OutputStream o : outs) {
                o.close();
            }
        }
    }

    /** Appends n lines, the fixture's from offset on; returns {kept, dropped}. */
    interface Lines {
        long[] write(int offset, int n) throws IOException;
    }

    /**
     * Starts Caravan on the warmKept entries already written, warms it up with rounds of roundLines more, then measures
     * the next lines. The rounds go on until the JIT compiler threads took under 5% of a round's CPU (at most 10 rounds,
     * 2 in a quick run): what runs once per batch or per push is compiled only after thousands of batches, well after
     * the lines written before the start are through, and that one-off cost is the start's, not the path's.
     */
    private LogsRun measureLogs(String name, Map<String, String> env, CountingReceivers.Loki loki, long warmKept, Lines writer, int offset,
                                int roundLines, int lines) throws Exception {
        log(name + ": starting, " + warmKept + " warm-up entries to come");
        Process p = procs.start(name, caravanCommand(), env);
        try {
            waitFor(name, p, () -> loki.entries.get(), warmKept, 180);
            int rounds = 0;
            double jitShare;
            do {
                Map<String, long[]> before = ProcMeter.threadTicks(p.pid());
                long roundKept = loki.entries.get() + writer.write(offset, roundLines)[0];
                offset += roundLines;
                waitFor(name, p, () -> loki.entries.get(), roundKept, 180);
                sleep(1);
                jitShare = ProcMeter.share(before, ProcMeter.threadTicks(p.pid()), "CompilerThre");
                rounds++;
            } while (jitShare >= 0.05 && rounds < (quick ? 2 : 10));
            notes.add(name + ": warmed up by " + warmKept + " entries written before the start and " + rounds + " rounds of " + roundLines
                    + " lines after it; the JIT compiler threads' share of the last round's CPU: " + Math.round(jitShare * 100) + "%");
            String load = loadAverage();
            long e0 = loki.entries.get();
            long pushes0 = loki.requests.get();
            long bytes0 = loki.bytes.get();
            ProcMeter.Reading r0 = ProcMeter.read(p.pid());
            Map<String, long[]> threads0 = ProcMeter.threadTicks(p.pid());
            long[] keptDropped = writer.write(offset, lines);
            long expected = e0 + keptDropped[0];
            ProcMeter.Reading last = r0;
            long lastCount = e0;
            long deadline = System.nanoTime() + Duration.ofSeconds(quick ? 120 : 300).toNanos();
            while (System.nanoTime() < deadline && lastCount < expected) {
                Thread.sleep(100);
                long c = loki.entries.get();
                if (c != lastCount) {
                    lastCount = c;
                    last = ProcMeter.read(p.pid());
                } else if (System.nanoTime() - last.nanoTime() > 15_000_000_000L) {
                    break;   // nothing for 15 s: report what came
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " died: " + procs.tail(name, 30));
                }
            }
            ProcMeter.Reading end = ProcMeter.read(p.pid());
            notes.add(name + ": CPU by thread (user+system) while measured: " + ProcMeter.threadCpu(threads0, ProcMeter.threadTicks(p.pid()), 8));
            LogsRun run = new LogsRun(lines, last.cpuSecondsSince(r0), last.secondsSince(r0), lastCount - e0, keptDropped[0], keptDropped[1],
                    end.hwmKiB(), load);
            log(name + ": " + run + " pushes " + (loki.requests.get() - pushes0) + " of " + (loki.bytes.get() - bytes0) / 1024
                    + " KiB in all, errors " + loki.errors.get() + " " + loki.lastError);
            if (run.received != run.expected) {
                notes.add(name + ": received " + run.received + " of " + run.expected + " expected entries (see " + procs.log(name) + ")");
            }
            return run;
        } finally {
            procs.stop(p);
        }
    }

    // ------------------------------------------------------------------------------------------------- start-up

    private void startUp() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("startup"));
        // As the image starts it: the Dockerfile's runtime stage replayed (layers, the AOT-cache training RUN, its ENV
        // and ENTRYPOINT), in a container of the chart's memory limit (-XX:MaxRAM: the heap ergonomics see that limit).
        ImageLayout image = image();
        String containerMemory = chartMemoryLimit();
        StartRun caravan;
        try (CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite()) {
            Map<String, String> env = caravanEnv(dir.resolve("caravan-data"));
            env.putAll(image.environment());
            env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=" + containerMemory + IMAGE_EXTRA_OPTS);
            env.put("MIMIR_WRITE_URL", rw.url());
            int port = Integer.parseInt(env.get("CARAVAN_HTTP_PORT"));
            caravan = measureStart("caravan-startup-image", image.command(), env, rw,
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"), idleSeconds);
        }
        // The fat jar without the cache (`java -jar target/caravan.jar`, the README's way), for the cache's effect.
        StartRun fat;
        try (CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite()) {
            Map<String, String> env = caravanEnv(dir.resolve("caravan-data-fat"));
            env.put("MIMIR_WRITE_URL", rw.url());
            int port = Integer.parseInt(env.get("CARAVAN_HTTP_PORT"));
            fat = measureStart("caravan-startup-fat-jar", caravanCommand(), env, rw,
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"), 0);
        }
        // the peer's equivalent of the embedded default: an agent scraping the node exporter (30s) and itself (15s)
        StartRun prom;
        int nePort = freePort();
        List<String> ne = new ArrayList<>(List.of(NODE_EXPORTER, "--collector.disable-defaults", "--web.listen-address=127.0.0.1:" + nePort));
        for (String c : COLLECTORS) {
            ne.add("--collector." + c);
        }
        Process neProcess = procs.start("startup-node-exporter", ne, Map.of());
        try (CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite()) {
            int port = freePort();
            Path yml = dir.resolve("prometheus.yml");
            Files.writeString(yml, """
                    global:
                      external_labels:
                        cluster: conveyor-platform
                    scrape_configs:
                      - job_name: integrations/unix
                        scrape_interval: 30s
                        scrape_timeout: 10s
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                      - job_name: prometheus
                        scrape_interval: 15s
                        scrape_timeout: 5s
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    remote_write:
                      - url: '%s'
                    """.formatted(nePort, port, rw.url()));
            prom = measureStart("prometheus-startup", List.of(PROMETHEUS, "--enable-feature=agent", "--config.file=" + yml,
                    "--storage.agent.path=" + dir.resolve("prom-agent"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"),
                    Map.of(), rw, URI.create("http://127.0.0.1:" + port + "/-/ready"), idleSeconds);
        } finally {
            procs.stop(neProcess);
        }
        heading("Start-up: embedded default (Caravan as the image starts it: Java " + Runtime.version().feature()
                + ", extracted layers, AOT cache, the image's JAVA_TOOL_OPTIONS, -XX:MaxRAM=" + containerMemory
                + ") vs agent scraping node_exporter every 30s and itself every 15s (Prometheus)"
                + (quick ? "; QUICK: idle " + idleSeconds + "s, not 60s" : ""), caravan.load + " / " + prom.load);
        row("spawn to ready (s)", f2(caravan.ready), f2(prom.ready), ratio(caravan.ready, prom.ready));
        row("spawn to first remote write (s)", f2(caravan.firstWrite), f2(prom.firstWrite), ratio(caravan.firstWrite, prom.firstWrite));
        row("CPU s from spawn to ready", f2(caravan.startCpu), f2(prom.startCpu), ratio(caravan.startCpu, prom.startCpu));
        row("RSS after " + idleSeconds + " s idle from ready (VmRSS), MiB", mib(caravan.idleRssKiB), mib(prom.idleRssKiB), ratio(caravan.idleRssKiB, prom.idleRssKiB));
        row("peak RSS by then (VmHWM), MiB", mib(caravan.hwmKiB), mib(prom.hwmKiB), ratio(caravan.hwmKiB, prom.hwmKiB));
        row("CPU % while idling (CPU s / wall s)", f1(caravan.idleCpuPercent), f1(prom.idleCpuPercent), ratio(caravan.idleCpuPercent, prom.idleCpuPercent));
        row("… fat jar, no AOT cache (`java " + String.join(" ", javaOpts) + " -jar`): spawn to ready (s)", f2(fat.ready), f2(prom.ready), ratio(fat.ready, prom.ready));
        row("… fat jar: CPU s from spawn to ready", f2(fat.startCpu), f2(prom.startCpu), ratio(fat.startCpu, prom.startCpu));
        notes.add("Start-up: the first remote write waits for the first scrape, which both place at a hash-derived offset inside the interval, "
                + "then for the batch deadline (5 s in both): compare 'ready', and read 'first write' as what an operator sees.");
    }

    private ImageLayout image;

    /** The Dockerfile's runtime stage, replayed once per run (extract, AOT-cache training). */
    private ImageLayout image() throws Exception {
        if (image == null) {
            log("building the image layout (extract, AOT-cache training run)");
            image = ImageLayout.build(jar, Files.createDirectories(runDir.resolve("image")), java);
        }
        return image;
    }

    // ------------------------------------------------------------------------------------------ seed-shaped load

    /**
     * One node of the seed's cluster, as the image runs it in the chart's container: ~20k active series (10 targets x
     * 2,000 cAdvisor-shaped series every 30 s), 55 probe-sized targets every 60 s (the seed's blackbox list; ~10 series
     * each, served here instead of by a blackbox exporter: Caravan's side of a probe is the same scrape), 200 CRI log
     * lines/s over 20 containers through the shipped pod-logs pipeline, plus the embedded node exporter and
     * self-scrape. Memory over a window after warm-up: what the chart's request has to cover.
     */
    private void seedLoad() throws Exception {
        Path dir = Files.createDirectories(runDir.resolve("seed"));
        int seriesTargets = 10;
        int probes = 55;
        int linesPerSecond = 200;
        int warm = quick ? 60 : 120;
        int window = quick ? 60 : 180;
        try (TargetFarm farm = new TargetFarm(seriesTargets, seriesPerTarget);
             TargetFarm probeFarm = new TargetFarm(probes, 10);
             CountingReceivers.RemoteWrite rw = new CountingReceivers.RemoteWrite();
             CountingReceivers.Loki loki = new CountingReceivers.Loki()) {
            Path routes = offRoutes(dir.resolve("routes"), "sinks.yaml", "node-metrics.yaml", "self-metrics.yaml");
            StringBuilder seriesList = new StringBuilder();
            for (int i = 0; i < seriesTargets; i++) {
                seriesList.append("- {__address__: \"127.0.0.1:").append(farm.port()).append("\", __metrics_path__: /metrics/").append(i).append("}\n");
            }
            StringBuilder probeList = new StringBuilder();
            for (int i = 0; i < probes; i++) {
                probeList.append("- {__address__: \"127.0.0.1:").append(probeFarm.port()).append("\", __metrics_path__: /metrics/").append(i).append("}\n");
            }
            Files.writeString(dir.resolve("series.yaml"), seriesList);
            Files.writeString(dir.resolve("probes.yaml"), probeList);
            Files.writeString(routes.resolve("bench-seed.yaml"), """
                    # bench/peers.sh seed: cAdvisor-sized targets every 30 s, probe-sized targets every 60 s, to the shipped mimir sink
                    - route:
                        id: bench-seed-series
                        from:
                          uri: "static-targets:series?file=%s"
                          steps:
                            - to: "scrape:series?interval=30s&timeout=10s"
                    - route:
                        id: bench-seed-probes
                        from:
                          uri: "static-targets:probes?file=%s"
                          steps:
                            - to: "scrape:probes?interval=60s&timeout=15s"
                    - route:
                        id: bench-seed-samples
                        from:
                          uri: scrape:series
                          steps:
                            - to: direct:mimir
                    - route:
                        id: bench-seed-probe-samples
                        from:
                          uri: scrape:probes
                          steps:
                            - to: direct:mimir
                    """.formatted(dir.resolve("series.yaml"), dir.resolve("probes.yaml")));
            List<Path> logFiles = podLogsRoute(dir, routes);
            ImageLayout image = image();
            Map<String, String> env = caravanEnv(dir.resolve("data"));
            env.putAll(image.environment());
            String containerMemory = chartMemoryLimit();
            env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=" + containerMemory + IMAGE_EXTRA_OPTS);
            env.put("CARAVAN_ROUTES_DIR", routes.toString());
            env.put("MIMIR_WRITE_URL", rw.url());
            env.put("LOKI_WRITE_URL_LOCAL", loki.url());
            env.put("POD_LOGS_DIR", dir.resolve("var-log-pods").toString());
            env.put("NODE_NAME", "bench-node");
            String load = loadAverage();
            Process p = procs.start("caravan-seed", image.command(), env);
            try {
                long written = 0;
                long t0 = System.nanoTime();
                long windowStart = t0 + warm * 1_000_000_000L;
                long end = windowStart + window * 1_000_000_000L;
                ProcMeter.Reading r0 = null;
                long samples0 = 0;
                long entries0 = 0;
                long maxRss = 0;
                long tick = t0;
                while (System.nanoTime() < end) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("caravan-seed exited: " + procs.tail("caravan-seed", 30));
                    }
                    writePodLines(logFiles, (int) written, linesPerSecond / 10);   // 200 lines/s in 10 bursts
                    written += linesPerSecond / 10;
                    tick += 100_000_000L;
                    Thread.sleep(Math.max(0, (tick - System.nanoTime()) / 1_000_000));
                    if (r0 == null && System.nanoTime() >= windowStart) {
                        r0 = ProcMeter.read(p.pid());
                        samples0 = rw.samples.get();
                        entries0 = loki.entries.get();
                    }
                    if (r0 != null && (written % linesPerSecond) == 0) {
                        maxRss = Math.max(maxRss, ProcMeter.read(p.pid()).rssKiB());
                    }
                }
                ProcMeter.Reading r1 = ProcMeter.read(p.pid());
                double seconds = r1.secondsSince(r0);
                double samplesPerSecond = (rw.samples.get() - samples0) / seconds;
                double expectedPerSecond = seriesTargets * (seriesPerTarget + 5) / 30.0 + probes * (probeFarm.seriesPerTarget() + 5) / 60.0;
                heading("Seed-shaped load (Caravan as the image starts it, -XX:MaxRAM=" + containerMemory + "): " + seriesTargets + " x "
                        + seriesPerTarget + " series every 30 s, " + probes + " probe-sized targets every 60 s, " + linesPerSecond
                        + " pod log lines/s, node exporter and self-scrape; " + warm + " s warm-up, " + window + " s window"
                        + (quick ? " (QUICK)" : ""), load + " / -");
                row("RSS at the end of the window (VmRSS), MiB", mib(r1.rssKiB()), "", "");
                row("highest RSS in the window (1 s samples), MiB", mib(maxRss), "", "");
                row("peak RSS since start (VmHWM), MiB", mib(r1.hwmKiB()), "", "");
                row("CPU % of a core in the window", f1(100 * r1.cpuSecondsSince(r0) / seconds), "", "");
                row("samples/s delivered in the window (expected ~" + Math.round(expectedPerSecond) + ")", f1(samplesPerSecond), "", "");
                row("log entries/s delivered in the window (written " + linesPerSecond + ", 1 in 100 blank and dropped)",
                        f1((loki.entries.get() - entries0) / seconds), "", "");
            } finally {
                procs.stop(p);
            }
        }
    }

    /** The chart's container memory limit as a JVM size (1Gi -> 1g): what the heap ergonomics would see. */
    /**
     * Caravan's JVM flags where it runs as a fat jar: the chart's javaToolOptions in a container of the chart's memory
     * limit (-XX:MaxRAM: the heap ergonomics see that limit), so that every figure is of the flags that ship.
     */
    static String chartJavaOptions() throws IOException {
        String opts = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("helm/caravan/values.yaml").toFile()).path("javaToolOptions").asText();
        if (opts.isBlank()) {
            throw new IllegalStateException("helm/caravan/values.yaml has no javaToolOptions");
        }
        return opts + " -XX:MaxRAM=" + chartMemoryLimit();
    }

    private static String chartMemoryLimit() throws IOException {
        String limit = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("helm/caravan/values.yaml").toFile()).at("/resources/limits/memory").asText();
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(limit);
        if (!m.matches()) {
            throw new IllegalStateException("helm/caravan/values.yaml resources.limits.memory '" + limit + "': expected NMi or NGi");
        }
        return m.group(1) + (m.group(2).equals("Gi") ? "g" : "m");
    }

    record StartRun(double ready, double firstWrite, double startCpu, long idleRssKiB, long hwmKiB, double idleCpuPercent, String load) {
    }

    private StartRun measureStart(String name, List<String> cmd, Map<String, String> env, CountingReceivers.RemoteWrite rw, URI readyUri,
                                  int idleSeconds) throws Exception {
        String load = loadAverage();
        log(name + ": starting");
        long t0 = System.nanoTime();
        Process p = procs.start(name, cmd, env);
        try {
            double ready = Double.NaN;
            ProcMeter.Reading atReady = null;
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && (Double.isNaN(ready) || rw.firstRequestNanos == 0)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + procs.tail(name, 30));
                }
                if (Double.isNaN(ready)) {
                    try {
                        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(readyUri).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            ready = (System.nanoTime() - t0) / 1e9;
                            atReady = ProcMeter.read(p.pid());
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                }
                Thread.sleep(50);
            }
            if (atReady == null || rw.firstRequestNanos == 0) {
                throw new IllegalStateException(name + ": not ready or no remote write after 120 s: " + procs.tail(name, 30));
            }
            double first = (rw.firstRequestNanos - t0) / 1e9;
            log(name + ": ready " + f2(ready) + "s, first write " + f2(first) + "s; idling");
            long idleEnd = atReady.nanoTime() + idleSeconds * 1_000_000_000L;
            while (System.nanoTime() < idleEnd) {
                Thread.sleep(200);
            }
            ProcMeter.Reading r1 = ProcMeter.read(p.pid());
            StartRun run = new StartRun(ready, first, atReady.cpuSeconds(), r1.rssKiB(), r1.hwmKiB(),
                    100 * r1.cpuSecondsSince(atReady) / r1.secondsSince(atReady), load);
            log(name + ": " + run);
            return run;
        } finally {
            procs.stop(p);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private List<String> caravanCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(javaOpts);
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    /** Everything loopback: own HTTP port, data dir, no API server, blackbox exporter on a closed local port. */
    private Map<String, String> caravanEnv(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Map<String, String> env = new HashMap<>();
        env.put("CARAVAN_DATA_DIR", dataDir.toString());
        env.put("CARAVAN_HTTP_PORT", Integer.toString(freePort()));
        env.put("KUBERNETES_MASTER", "https://127.0.0.1:" + freePort());
        env.put("BLACKBOX_EXPORTER_ADDRESS", "127.0.0.1:" + freePort());
        return env;
    }

    /**
     * A routes directory in which every built-in route file but {@code keep} is an empty file (switched off); the route
     * templates stay, as the kept pipelines may instantiate them.
     */
    private static Path offRoutes(Path dir, String... keep) throws IOException {
        Files.createDirectories(dir);
        List<String> kept = List.of(keep);
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath:routes/*.yaml")) {
            if (!kept.contains(r.getFilename()) && !io.caravan.RouteSources.TEMPLATES.equals(r.getFilename())) {
                Files.writeString(dir.resolve(r.getFilename()), "");
            }
        }
        return dir;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PeerBench.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String indent(String yaml, int n) {
        String pad = " ".repeat(n);
        StringBuilder sb = new StringBuilder();
        for (String l : yaml.split("\n")) {
            if (!l.isBlank() && !l.trim().startsWith("#")) {
                sb.append(pad).append(l).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    private void waitFor(String name, Process p, LongSupplier count, long atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (count.getAsLong() < atLeast) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited (" + p.exitValue() + "): " + procs.tail(name, 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": only " + count.getAsLong() + " of " + atLeast + " after " + seconds + "s: "
                        + procs.tail(name, 40));
            }
            Thread.sleep(100);
        }
    }

    private void awaitHttp(String name, Process p, URI uri, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited: " + procs.tail(name, 40));
            }
            try {
                get(uri);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name + " not serving " + uri + " after " + seconds + "s");
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void log(String s) {
        System.out.println(DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.UTC).format(Instant.now()).substring(0, 8) + " " + s);
        System.out.flush();
    }

    private void heading(String text, String loads) {
        rows.add(new String[]{"**" + text + "** (load " + loads + ")", "", "", ""});
    }

    private void row(String measure, String caravan, String peer, String ratio) {
        rows.add(new String[]{measure, caravan, peer, ratio});
    }

    private String render(String started, String loadStart, String loadEnd, double seconds) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("## Caravan vs peers, ").append(started).append(quick ? " — QUICK run (fewer targets, shorter windows; not for comparison with full runs)" : " — full run")
                .append("\n\n");
        sb.append("- machine: `nproc` = ").append(Runtime.getRuntime().availableProcessors()).append(" (shared with other builds), load average at start ")
                .append(loadStart).append(", at end ").append(loadEnd).append("; ").append(firstLine("uname", "-sr")).append("; run took ")
                .append(f0(seconds)).append(" s\n");
        sb.append("- Caravan: ").append(jar.getFileName()).append(" (commit ").append(firstLine("git", "rev-parse", "--short", "HEAD")).append("), JVM ")
                .append(System.getProperty("java.vm.version")).append(", flags `").append(String.join(" ", javaOpts)).append("`\n");
        sb.append("- peers: ").append(firstLine(PROMETHEUS, "--version")).append(" (`--enable-feature=agent`); ")
                .append(firstLine(NODE_EXPORTER, "--version")).append("\n");
        sb.append("- one process measured at a time (CPU = utime+stime from /proc/PID/stat, RSS from /proc/PID/status); "
                + "ratio = Caravan / peer, lower is better for Caravan except rates\n\n");
        sb.append("| measure | Caravan | peer | Caravan/peer |\n|---|---:|---:|---:|\n");
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        sb.append('\n');
        for (String n : notes) {
            sb.append("- ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("?").trim();
        } catch (Exception e) {
            return "?";
        }
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
    }

    static String ratio(double caravan, double peer) {
        if (peer == 0 || Double.isNaN(caravan) || Double.isNaN(peer)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f", caravan / peer);
    }
}
