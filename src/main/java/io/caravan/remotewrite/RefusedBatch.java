package io.caravan.remotewrite;

import io.caravan.model.Labels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a batch the receiver refused for what it holds is cut into parts sent on their own, so that the
 * samples it refuses don't take the others with them (Prometheus fails a whole request for one sample out
 * of bounds, out of order or a duplicate).
 * <p>
 * First one part per job: a job's refused samples never cost another job's. A refused job part is then
 * halved by series, and a refused half again, until a refused part is one series, whose samples in this
 * batch are dropped (out of order, duplicate and out of bounds are about a series and its time, so that is
 * where the refusal lies); the other series are sent. Each halving costs two requests; a batch gets {@link #halvings} of them, enough
 * to single out four refused series, after which a refused part is dropped whole. So a refused batch costs
 * at most jobs + 2 * halvings more requests. A series' samples keep their order; series and jobs
 * needn't, as the receiver orders samples per series only.
 */
final class RefusedBatch {

    /** Samples sent together: whole series, each with its samples in order. */
    record Part(List<List<WalRecord.Series>> series, boolean oneJob) {
        List<WalRecord.Series> samples() {
            List<WalRecord.Series> out = new ArrayList<>();
            for (List<WalRecord.Series> s : series) {
                out.addAll(s);
            }
            return out;
        }

        int size() {
            int n = 0;
            for (List<WalRecord.Series> s : series) {
                n += s.size();
            }
            return n;
        }
    }

    private final Deque<Part> parts = new ArrayDeque<>();
    private final Map<String, List<List<WalRecord.Series>>> jobs = new LinkedHashMap<>();
    private int halvings;

    /** The refused batch, grouped by job and series (read back from the WAL records, which is only done here). */
    RefusedBatch(List<WalRecord.Series> refused) {
        Map<String, Map<Object, List<WalRecord.Series>>> byJob = new LinkedHashMap<>();
        for (WalRecord.Series s : refused) {
            Object series;
            String job;
            try {
                Labels labels = s.chunk().head(s.index()).labels();
                series = labels;
                job = labels.getOrEmpty("job");
            } catch (RuntimeException unreadable) {
                series = s; // on its own: sending it finds it unreadable and counts it
                job = "";
            }
            byJob.computeIfAbsent(job, j -> new LinkedHashMap<>()).computeIfAbsent(series, k -> new ArrayList<>()).add(s);
        }
        int series = 0;
        for (Map.Entry<String, Map<Object, List<WalRecord.Series>>> e : byJob.entrySet()) {
            jobs.put(e.getKey(), new ArrayList<>(e.getValue().values()));
            series += e.getValue().size();
        }
        this.halvings = halvings(series);
    }

    /** The whole batch as one part (what the receiver refused). */
    Part whole() {
        List<List<WalRecord.Series>> series = new ArrayList<>();
        jobs.values().forEach(series::addAll);
        return new Part(series, jobs.size() == 1);
    }

    /**
     * Queues the parts of a refused part: one per job, or two halves of a job's series while halvings last.
     * False when it can't be split (one series, or no halvings left): then it is dropped as refused.
     */
    boolean split(Part refused) {
        if (!refused.oneJob()) {
            List<List<List<WalRecord.Series>>> byJob = new ArrayList<>(jobs.values());
            for (int i = byJob.size() - 1; i >= 0; i--) { // a stack: the first job goes first
                parts.push(new Part(byJob.get(i), true));
            }
            return true;
        }
        if (refused.series().size() < 2 || halvings == 0) {
            return false;
        }
        halvings--;
        List<List<WalRecord.Series>> series = refused.series();
        int half = series.size() / 2;
        parts.push(new Part(series.subList(half, series.size()), true));
        parts.push(new Part(series.subList(0, half), true));
        return true;
    }

    /** The next part to send, or null when every part was answered. */
    Part next() {
        return parts.poll();
    }

    /** The halvings a batch of this many series gets. */
    static int halvings(int series) {
        return 4 * ceilLog2(series);
    }

    private static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
