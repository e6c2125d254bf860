package io.caravan.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The soak's markdown report, from what the run left in {@link Soak}: the ledgers walked against what was produced,
 * for metrics, tail logs and pod logs; by phase, by event (rotation kinds, pod deletions, the two restarts) and
 * against the agent's own dropped counters.
 */
final class SoakReport {

    /** Produced, lost, duplicated (distinct), and of the lost those in an event while the agent was down. */
    static final class Tally {
        long produced;
        long lost;
        long dup;
        long lostWhileDown;

        void add(boolean received, boolean duplicated, boolean whileDown) {
            produced++;
            if (!received) {
                lost++;
                if (whileDown) {
                    lostWhileDown++;
                }
            } else if (duplicated) {
                dup++;
            }
        }

        void add(long produced, long lost, long dup) {
            this.produced += produced;
            this.lost += lost;
            this.dup += dup;
        }
    }

    /** One log source walked id by id. */
    static final class LogCount {
        final Tally total = new Tally();
        final Tally[] byPhase = tallies(Phase.values().length);
        final Map<Fate, Tally> byFate = new EnumMap<>(Fate.class);
        final Map<Fate, int[]> events = new EnumMap<>(Fate.class); // {groups, of them ended while the agent was down}
        final Map<Restart, Tally> byRestart = new LinkedHashMap<>();
        final Map<Integer, Long> lostPerCopytruncate = new TreeMap<>();
        final Map<Integer, Long> firstLost = new TreeMap<>();    // per copytruncated generation: its first lost id
        final Map<Integer, Long> lastReceived = new TreeMap<>(); // and its last received id
        long delivered;
        long duplicated;
    }

    private final Soak s;
    private final StringBuilder r = new StringBuilder();

    SoakReport(Soak s) {
        this.s = s;
    }

    private static Tally[] tallies(int n) {
        Tally[] t = new Tally[n];
        for (int i = 0; i < n; i++) {
            t[i] = new Tally();
        }
        return t;
    }

    /** From 1 s before the signal (what was in flight) until the new agent was ready. */
    private boolean inRestart(Restart restart, long at) {
        return at >= restart.signalAt - 1000 && at <= (restart.readyAt > 0 ? restart.readyAt : s.endAt);
    }

    private boolean whileDown(long at) {
        return at > 0 && s.restarts.stream().anyMatch(x -> x.down(at, s.endAt));
    }

    private LogCount count(LineBook book, LogLedger ledger, long produced) {
        LogCount c = new LogCount();
        for (Restart x : s.restarts) {
            c.byRestart.put(x, new Tally());
        }
        for (int g = 0; g < book.groups(); g++) {
            int[] e = c.events.computeIfAbsent(book.fate(g), f -> new int[2]);
            e[0]++;
            if (whileDown(book.endedAt(g))) {
                e[1]++;
            }
        }
        for (long id = 0; id < produced; id++) {
            int g = book.groupOf(id);
            Fate fate = book.fate(g);
            boolean received = ledger.received(id);
            boolean dup = received && ledger.duplicated(id);
            boolean endedWhileDown = whileDown(book.endedAt(g));
            c.total.add(received, dup, endedWhileDown);
            c.byPhase[book.phaseOf(id)].add(received, dup, endedWhileDown);
            c.byFate.computeIfAbsent(fate, f -> new Tally()).add(received, dup, endedWhileDown);
            long at = book.writtenAt(id);
            for (Restart x : s.restarts) {
                if (inRestart(x, at)) {
                    c.byRestart.get(x).add(received, dup, endedWhileDown);
                }
            }
            if (fate == Fate.COPYTRUNCATED) {
                if (received) {
                    c.lastReceived.put(g, id);
                } else {
                    c.firstLost.putIfAbsent(g, id);
                    c.lostPerCopytruncate.merge(g, 1L, Long::sum);
                }
            }
        }
        c.delivered = ledger.delivered();
        c.duplicated = ledger.duplicated();
        return c;
    }

    String render() {
        // metrics: walk every served scrape
        int phases = Phase.values().length;
        Tally[] mByPhase = tallies(phases);
        long[] mScrapes = new long[phases];
        Map<Restart, Tally> mInFlight = new LinkedHashMap<>();
        Map<Restart, Tally> mByRestart = new LinkedHashMap<>();
        for (Restart x : s.restarts) {
            mInFlight.put(x, new Tally());
            mByRestart.put(x, new Tally());
        }
        long lostScrapes = 0;
        long partialScrapes = 0;
        long scrapes = 0;
        for (int t = 0; t < s.farm.targets(); t++) {
            for (int n = 1; n <= s.farm.served(t); n++) {
                scrapes++;
                long at = s.farm.servedAt(t, n);
                int got = s.metrics.received(t, n);
                int missing = s.series - got;
                int dup = s.metrics.duplicated(t, n);
                if (got == 0) {
                    lostScrapes++;
                } else if (missing > 0) {
                    partialScrapes++;
                }
                int p = s.phaseAt(at).ordinal();
                mScrapes[p]++;
                boolean inFlight = false;
                for (Restart x : s.restarts) {
                    if (inRestart(x, at)) {
                        mByRestart.get(x).add(s.series, missing, dup);
                    }
                    if (at >= x.signalAt - 1000 && at <= x.goneAt) {
                        mInFlight.get(x).add(s.series, missing, dup);
                        inFlight = true;
                    }
                }
                if (!inFlight) { // served in the last second before a stop: reported apart
                    mByPhase[p].add(s.series, missing, dup);
                }
            }
        }
        long mProduced = scrapes * s.series;
        long mDelivered = s.metrics.delivered();
        LogCount tail = count(s.writer.book(), s.tailLogs, s.writer.produced());
        LogCount pods = count(s.podWriter.book(), s.podLogs, s.podWriter.produced());

        // the agent's dropped counters: the log sources' matched by prefix, so a counter added later is picked up
        double rwDropped = sum(k -> name(k).equals("caravan_remote_write_samples_dropped"));
        double lokiDropped = sum(k -> name(k).equals("caravan_loki_entries_dropped"));
        Predicate<String> logDrop = k -> name(k).startsWith("caravan_logs_") && (name(k).contains("dropped") || name(k).contains("lost"));
        double tailDropped = sum(logDrop.and(k -> k.contains("source=\"tail\"")));
        double podDropped = sum(logDrop.and(k -> k.contains("source=\"pod-logs\"")));
        double sharedDropped = lokiDropped + sum(logDrop.and(k -> !k.contains("source=\"tail\"") && !k.contains("source=\"pod-logs\"")));

        header();
        r.append("## Result\n\n");
        r.append("| | metrics (samples) | tail logs (lines) | pod logs (lines) |\n|---|---:|---:|---:|\n");
        row("produced", mProduced, tail.total.produced, pods.total.produced);
        row("delivered (distinct)", mDelivered, tail.delivered, pods.delivered);
        row("lost", mProduced - mDelivered, tail.total.lost, pods.total.lost);
        row("duplicated (distinct, received 2+ times)", s.metrics.duplicated(), tail.duplicated, pods.duplicated);
        row("lost, counted as dropped by the agent (remote-write; the log source)", Math.round(rwDropped), Math.round(tailDropped), Math.round(podDropped));
        r.append(String.format(Locale.ROOT, "| lost, counted as dropped by the Loki sink or a stage (one sink for both log sources) | | %,d (both) | |%n",
                Math.round(sharedDropped)));
        row("lost, not counted by the agent (for the logs, less their source's own count only)",
                Math.max(0, mProduced - mDelivered - Math.round(rwDropped)),
                Math.max(0, tail.total.lost - Math.round(tailDropped)), Math.max(0, pods.total.lost - Math.round(podDropped)));
        r.append(String.format(Locale.ROOT, "| peak RSS (VmHWM, max of the incarnations) | %s | (same process) | |%n", mib(s.peakRss)));
        r.append(String.format(Locale.ROOT, "| peak heap used / peak live data after GC | %s / %s | (same process) | |%n", mib(s.peakHeap), mib(s.peakLive)));
        r.append(String.format(Locale.ROOT, "| peak disk of CARAVAN_DATA_DIR / of the Loki spill | %s / %s | | |%n%n", mib(s.peakDisk), mib(s.peakSpill)));

        againstTheBar(mByPhase, mInFlight, mByRestart, tail, pods, rwDropped);
        r.append(String.format(Locale.ROOT, "Metrics: %,d scrapes served, %,d with no sample received, %,d partly received; %,d duplicate copies; "
                        + "%,d other samples (up, scrape_*), %,d staleness markers, %,d unexpected. "
                        + "The agent's dropped counter also counts the 5 report series per scrape (%.2f%% of the samples).%n",
                scrapes, lostScrapes, partialScrapes, s.metrics.duplicateCopies(), s.metrics.otherSamples(), s.metrics.staleMarkers(),
                s.metrics.unexpected(), 500.0 / (s.series + 5)));
        r.append(String.format(Locale.ROOT, "Tail logs: %,d rotations (%,d rename, %,d rename + gzip, %,d copytruncate); %,d duplicate copies; %,d lines without an id; "
                        + "%,d push requests carried tail lines (%,.0f lines each on average).%n",
                s.writer.rotations(), s.writer.rotations(LogWriter.Rotation.RENAME), s.writer.rotations(LogWriter.Rotation.RENAME_GZIP),
                s.writer.rotations(LogWriter.Rotation.COPYTRUNCATE), s.tailLogs.duplicateCopies(), s.tailLogs.unexpected(),
                s.tailLogs.requests(), perRequest(tail.delivered + s.tailLogs.duplicateCopies(), s.tailLogs.requests())));
        r.append(String.format(Locale.ROOT, "Pod logs: %d pods, %,d incarnations (%,d deleted with the agent up, %,d while it was down after the kill -9, "
                        + "%,d during the graceful restart); %,d duplicate copies; %,d push requests carried pod lines (%,.0f lines each on average).%n",
                s.churn.pods(), s.podWriter.incarnations(), s.churn.deleted(Fate.POD_CHURNED), s.churn.deleted(Fate.POD_RECREATED_KILL),
                s.churn.deleted(Fate.POD_RECREATED_GRACEFUL), s.podLogs.duplicateCopies(), s.podLogs.requests(),
                perRequest(pods.delivered + s.podLogs.duplicateCopies(), s.podLogs.requests())));
        r.append(String.format(Locale.ROOT, "Receivers: remote-write %,d accepted, %,d answered 503, %,d failed%s; Loki %,d accepted, %,d answered 503, %,d failed%s.%n%n",
                s.rwReceiver.accepted.get(), s.rwReceiver.refused.get(), s.rwReceiver.failed.get(), failure(s.rwReceiver),
                s.lokiReceiver.accepted.get(), s.lokiReceiver.refused.get(), s.lokiReceiver.failed.get(), failure(s.lokiReceiver)));

        byEvent(mByRestart, tail, pods);
        byPhase(mByPhase, mScrapes, mInFlight, tail, pods, scrapes);
        counters(rwDropped, lokiDropped, logDrop);
        r.append("\n## Events\n\n```\n");
        s.events.forEach(e -> r.append(e).append('\n'));
        r.append("```\n\n## Timeline (every 10 s: delivered/produced)\n\n```\n");
        s.timeline.forEach(e -> r.append(e).append('\n'));
        r.append("```\n\n## Agent logs (WARN and ERROR, first distinct messages)\n\n");
        for (int i = 1; i <= s.agent.incarnation(); i++) {
            r.append(logSummary(i));
        }
        return r.toString();
    }

    private void header() {
        r.append("# Caravan soak, ").append(Instant.ofEpochMilli(s.t0)).append("\n\n");
        r.append(String.format(Locale.ROOT, "Length %s min (phases scaled from 10 min), %d targets x %d series scraped every 1 s (%,d samples/s), "
                        + "%,d log lines/s over %d files (tail:, CRI), %,d pod-log lines/s over %d pods (pod-logs:, files; one pod deleted and recreated "
                        + "every %s s), the agent down %s s at each restart, loopback receivers and API server. Agent: `java %s -jar %s`, built-in routes off, "
                        + "soak routes as generated by `SoakRoutes` (remote-write options %s, loki options %s). Host: %d CPUs, `%s`.%n%n",
                Soak.fmt(s.minutes), s.targets, s.series, s.targets * s.series, s.linesPerSecond, s.logFiles, s.podLinesPerSecond, s.pods,
                Soak.fmt(s.churnMillis / 1000.0), Soak.fmt(s.downMillis / 1000.0), String.join(" ", s.agentJvm), s.jar,
                s.remoteWriteOpts.isEmpty() ? "default" : s.remoteWriteOpts, s.lokiOpts.isEmpty() ? "default" : s.lokiOpts,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    }

    private void againstTheBar(Tally[] mByPhase, Map<Restart, Tally> mInFlight, Map<Restart, Tally> mByRestart, LogCount tail, LogCount pods,
                               double rwDropped) {
        int o = Phase.OUTAGE.ordinal();
        r.append("### Against the bar\n\n");
        long[] ow = s.window(Phase.OUTAGE);
        r.append(String.format(Locale.ROOT, "- Outage (receivers cut %s): lost metrics %,d of %,d samples produced during it (the agent counted %,.0f as dropped "
                        + "over the whole run), tail logs %,d of %,d lines, pod logs %,d of %,d. Loses nothing: %s.%n",
                clock(ow[1] - ow[0]), mByPhase[o].lost, mByPhase[o].produced, rwDropped, tail.byPhase[o].lost, tail.byPhase[o].produced,
                pods.byPhase[o].lost, pods.byPhase[o].produced, yes(mByPhase[o].lost + tail.byPhase[o].lost + pods.byPhase[o].lost)));
        for (Restart x : s.restarts) {
            Tally inFlight = mInFlight.get(x);
            Tally m = mByRestart.get(x);
            Tally t = tail.byRestart.get(x);
            Tally p = pods.byRestart.get(x);
            String how = x.kind == Restart.Kind.KILL ? "" : x.stop == null ? "" : String.format(Locale.ROOT, " (it exited %.1f s after the SIGTERM, code %s%s)",
                    x.stop.millis() / 1000.0, x.stop.exitCode(), x.stop.forced() ? ", SIGKILL after 60 s" : "");
            r.append(String.format(Locale.ROOT, "- %s at t=%s%s, new agent ready %s after it; from 1 s before it to then: metrics lost %,d of %,d "
                            + "(in flight, served in the last second or while it stopped: %,d of %,d) and %,d duplicated, tail logs lost %,d of %,d "
                            + "and %,d duplicated, pod logs lost %,d of %,d and %,d duplicated. Loses nothing: %s; duplicates nothing: %s.%n",
                    cap(x.kind.label), clock(x.signalAt - s.t0), how, x.readyAt < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", (x.readyAt - x.signalAt) / 1000.0),
                    m.lost, m.produced, inFlight.lost, inFlight.produced, m.dup, t.lost, t.produced, t.dup, p.lost, p.produced, p.dup,
                    yes(m.lost + t.lost + p.lost), yes(m.dup + t.dup + p.dup)));
        }
        Tally churned = pods.byFate.getOrDefault(Fate.POD_CHURNED, new Tally());
        r.append(String.format(Locale.ROOT, "- Pods deleted and recreated with the agent up: %,d of %,d lines lost. Loses nothing: %s.%n",
                churned.lost, churned.produced, yes(churned.lost)));
        r.append(String.format(Locale.ROOT, "- Duplicates over the run: metrics %,d (one batch is maxSamplesPerSend, 2,000 by default), tail logs %,d, pod logs %,d.%n",
                s.metrics.duplicated(), tail.duplicated, pods.duplicated));
        long[] steadyPeaks = s.peaksByPhase.getOrDefault(Phase.STEADY, new long[4]);
        long[] outagePeaks = s.peaksByPhase.getOrDefault(Phase.OUTAGE, new long[4]);
        r.append(String.format(Locale.ROOT, "- Memory under backpressure: heap used peaked at %s in the outage against %s in steady load; live data after GC %s against %s; "
                        + "peak RSS %s; disk peaked at %s (the Loki spill's bound is maxSpillBytes, 512MiB by default).%n%n",
                mib(outagePeaks[1]), mib(steadyPeaks[1]), mib(outagePeaks[2]), mib(steadyPeaks[2]), mib(s.peakRss), mib(s.peakDisk)));
    }

    private void byEvent(Map<Restart, Tally> mByRestart, LogCount tail, LogCount pods) {
        r.append("## By event\n\n");
        r.append("A line counts under the fate of the file it was written into (each line once); the two restarts count everything produced "
                + "from 1 s before the signal until the new agent was ready, so they overlap the rows above them. \"While down\": from the "
                + "signal until the new agent was ready.\n\n");
        r.append("| event | source | events (while down) | produced | delivered | lost | lost in events while down | duplicated |\n");
        r.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Fate f : Fate.values()) {
            LogCount c = f.pod() ? pods : tail;
            Tally t = c.byFate.getOrDefault(f, new Tally());
            int[] e = c.events.getOrDefault(f, new int[2]);
            boolean live = f == Fate.LIVE || f == Fate.POD_LIVE;
            r.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %s | %,d |%n", f.label, f.pod() ? "pod logs" : "tail logs",
                    live ? e[0] + (f.pod() ? " pods" : " files") : e[0] + " (" + e[1] + ")", t.produced, t.produced - t.lost, t.lost,
                    live ? "" : String.format(Locale.ROOT, "%,d", t.lostWhileDown), t.dup));
        }
        for (Restart x : s.restarts) {
            String label = x.kind.label + " itself";
            String events = x.readyAt < 0 ? "1 (never ready)" : String.format(Locale.ROOT, "1 (down %.1f s)", (x.readyAt - x.signalAt) / 1000.0);
            eventRow(label, "metrics", events, mByRestart.get(x));
            eventRow(label, "tail logs", events, tail.byRestart.get(x));
            eventRow(label, "pod logs", events, pods.byRestart.get(x));
        }
        r.append('\n');
        long tailOnly = tail.firstLost.entrySet().stream().filter(e -> e.getValue() > tail.lastReceived.getOrDefault(e.getKey(), -1L)).count();
        r.append(String.format(Locale.ROOT, "Copytruncate: %d events, %d of them lost lines, at most %,d lines in one (the writer puts %,d lines a second in each file); "
                        + "in %d of those %d the lost lines were the file's last lines before the truncate and nothing before them was lost.%n%n",
                s.writer.rotations(LogWriter.Rotation.COPYTRUNCATE), tail.lostPerCopytruncate.size(),
                tail.lostPerCopytruncate.values().stream().mapToLong(Long::longValue).max().orElse(0),
                s.linesPerSecond / s.logFiles, tailOnly, tail.firstLost.size()));
    }

    private void eventRow(String label, String source, String events, Tally t) {
        r.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | | %,d |%n", label, source, events, t.produced, t.produced - t.lost, t.lost, t.dup));
    }

    private void byPhase(Tally[] mByPhase, long[] mScrapes, Map<Restart, Tally> mInFlight, LogCount tail, LogCount pods, long scrapes) {
        r.append("## By phase (of production: when a scrape was served, when a line was written)\n\n");
        r.append("| phase | window | scrapes/s | metrics produced | lost | dup | tail produced | lost | dup | pod produced | lost | dup "
                + "| max RSS | max heap | max live | max disk |\n");
        r.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase p : Phase.values()) {
            int i = p.ordinal();
            long[] peaks = s.peaksByPhase.getOrDefault(p, new long[4]);
            long[] w = s.window(p);
            double seconds = Math.max(0.001, (w[1] - w[0]) / 1000.0);
            r.append(String.format(Locale.ROOT, "| %s | %s-%s | %.1f | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s | %s | %s |%n", p.label,
                    clock(w[0] - s.t0), clock(w[1] - s.t0), w[1] > w[0] ? mScrapes[i] / seconds : 0.0,
                    mByPhase[i].produced, mByPhase[i].lost, mByPhase[i].dup, tail.byPhase[i].produced, tail.byPhase[i].lost, tail.byPhase[i].dup,
                    pods.byPhase[i].produced, pods.byPhase[i].lost, pods.byPhase[i].dup, mib(peaks[0]), mib(peaks[1]), mib(peaks[2]), mib(peaks[3])));
        }
        for (Restart x : s.restarts) {
            Tally t = mInFlight.get(x);
            r.append(String.format(Locale.ROOT, "| in flight at the %s | served in the last 1 s before it (or while it stopped) | | %,d | %,d | %,d | | | | | | | | | | |%n",
                    x.kind.label, t.produced, t.lost, t.dup));
        }
        long down = 0;
        for (Restart x : s.restarts) {
            down += (x.readyAt > 0 ? x.readyAt : s.endAt) - x.signalAt;
        }
        long producing = s.window(Phase.DRAIN)[0] - s.t0 - down;
        long expected = s.targets * producing / 1000;
        r.append(String.format(Locale.ROOT, "%nScrapes/s: scrapes served per second of the phase; %d when every target is scraped on time while the agent runs. "
                        + "Over the %,d s of production less the %,d s the agent was down, ~%,d scrapes were due and %,d served: ~%,d scrape slots missed "
                        + "(~%,d samples never produced, so in none of the figures above).%n%n",
                s.targets, (s.window(Phase.DRAIN)[0] - s.t0) / 1000, down / 1000, expected, scrapes, Math.max(0, expected - scrapes),
                Math.max(0, expected - scrapes) * s.series));
    }

    private void counters(double rwDropped, double lokiDropped, Predicate<String> logDrop) {
        r.append("## The agent's own counters (sum of the incarnations' last readings)\n\n");
        r.append("Readings are taken every 2 s and just before each stop; what a process counted after its last reading is not here.\n\n");
        for (Map.Entry<Integer, Map<String, Double>> e : s.countersByIncarnation.entrySet()) {
            r.append(String.format(Locale.ROOT, "- agent %d (VmHWM %s): %s%n", e.getKey(), mib(s.hwmByIncarnation.getOrDefault(e.getKey(), 0L)),
                    keyCounters(e.getValue())));
        }
        r.append('\n');
        dropped("remote-write samples dropped", k -> name(k).equals("caravan_remote_write_samples_dropped"));
        dropped("loki entries dropped", k -> name(k).equals("caravan_loki_entries_dropped"));
        dropped("log sources and stages, dropped or lost (caravan_logs_*dropped*, caravan_logs_*lost*)", logDrop);
    }

    private void dropped(String what, Predicate<String> which) {
        Map<String, Double> m = new TreeMap<>();
        for (Map<String, Double> c : s.countersByIncarnation.values()) {
            c.forEach((k, v) -> {
                if (which.test(k)) {
                    m.merge(k, v, Double::sum);
                }
            });
        }
        List<String> nonZero = new ArrayList<>();
        m.forEach((k, v) -> {
            if (v > 0) {
                nonZero.add(String.format(Locale.ROOT, "`%s` %,.0f", k, v));
            }
        });
        r.append("- ").append(what).append(": ").append(nonZero.isEmpty() ? "none" : String.join(", ", nonZero)).append('\n');
    }

    private double sum(Predicate<String> which) {
        double sum = 0;
        for (Map<String, Double> c : s.countersByIncarnation.values()) {
            for (Map.Entry<String, Double> e : c.entrySet()) {
                if (which.test(e.getKey())) {
                    sum += e.getValue();
                }
            }
        }
        return sum;
    }

    /** A series' metric name: without labels and without Prometheus' _total. */
    private static String name(String series) {
        return series.replaceFirst("\\{.*", "").replaceFirst("_total$", "");
    }

    private static String keyCounters(Map<String, Double> c) {
        String[] keys = {"caravan_remote_write_samples_in", "caravan_remote_write_samples_sent", "caravan_remote_write_samples_retried",
                "caravan_remote_write_samples_dropped", "caravan_logs_lines_read", "caravan_logs_rotations", "caravan_logs_truncations",
                "caravan_loki_entries_in", "caravan_loki_entries_sent", "caravan_loki_entries_retried", "caravan_loki_entries_dropped"};
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            Map<String, Double> bySource = new TreeMap<>();
            for (Map.Entry<String, Double> e : c.entrySet()) {
                if (name(e.getKey()).equals(k)) {
                    bySource.merge(k.startsWith("caravan_logs_") ? source(e.getKey()) : "", e.getValue(), Double::sum);
                }
            }
            List<String> values = new ArrayList<>();
            bySource.forEach((src, v) -> values.add((src.isEmpty() ? "" : src + " ") + String.format(Locale.ROOT, "%,.0f", v)));
            if (!values.isEmpty()) {
                parts.add(k.replace("caravan_", "") + " " + String.join(" / ", values));
            }
        }
        return String.join(", ", parts);
    }

    private static String source(String series) {
        int i = series.indexOf("source=\"");
        return i < 0 ? "?" : series.substring(i + 8, series.indexOf('"', i + 8));
    }

    private String logSummary(int incarnation) {
        Path f = s.agent.logFile(incarnation);
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

    private void row(String name, long m, long t, long p) {
        r.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d |%n", name, m, t, p));
    }

    private static String failure(SwitchableServer server) {
        return server.lastFailure == null ? "" : " (" + server.lastFailure + ")";
    }

    private static double perRequest(long lines, long requests) {
        return requests == 0 ? 0.0 : (double) lines / requests;
    }

    private static String yes(long bad) {
        return bad == 0 ? "yes" : "NO";
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0fMiB", bytes / 1048576.0);
    }

    static String clock(long millis) {
        long sec = Math.max(0, millis) / 1000;
        return String.format(Locale.ROOT, "%d:%02d", sec / 60, sec % 60);
    }
}
