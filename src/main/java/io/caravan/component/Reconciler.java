package io.caravan.component;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reconciler of target sets (scrape loops, pod-log followers, tailed files), as Alloy's scheduler:
 * {@link #sync} starts a worker for each new key, retires the workers whose key is no longer wanted and leaves
 * the others undisturbed. A retired worker may need time (a log file is read to its end before it is let go):
 * it stays listed until {@link Workers#done} says so and is swept by the next sync or {@link #sweep}. A key
 * wanted again while its old worker still finishes takes that worker back if it can {@link Workers#revive}, else
 * gets a new worker once the old one is done, so two workers never share a key (a file, a container).
 *
 * @param <K> what identifies a worker: a target's URL and labels, a container, a path
 * @param <T> what a worker is started from
 * @param <W> the worker
 */
public final class Reconciler<K, T, W> {

    /** How workers start and end. */
    public interface Workers<K, T, W> {

        W start(K key, T target);

        /** Stops the worker, or asks it to finish what it has: it is dropped once {@link #done} is true. */
        void retire(K key, W worker);

        /** Whether a retired worker has finished; by default it has as soon as it is retired. */
        default boolean done(W worker) {
            return true;
        }

        /**
         * A retired worker whose key is wanted again before it is done: true when it took up its work again (a
         * pod gone from discovery for a moment goes on where it was), false to let it finish and start anew.
         */
        default boolean revive(K key, W worker) {
            return false;
        }
    }

    /** What one sync did. */
    public record Change(int started, int retired, int kept) {
    }

    private final Workers<K, T, W> workers;
    private final Map<K, W> running = new LinkedHashMap<>();
    private final Map<K, W> retiring = new LinkedHashMap<>();

    public Reconciler(Workers<K, T, W> workers) {
        this.workers = workers;
    }

    /** Makes the running set the wanted one (in the wanted order for new workers). */
    public synchronized Change sync(Map<K, T> wanted) {
        sweep();
        int retired = 0;
        for (Iterator<Map.Entry<K, W>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, W> e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                it.remove();
                retire(e.getKey(), e.getValue());
                retired++;
            }
        }
        int started = 0;
        int kept = 0;
        for (Map.Entry<K, T> e : wanted.entrySet()) {
            if (running.containsKey(e.getKey())) {
                kept++;
            } else if (retiring.containsKey(e.getKey())) {
                W back = retiring.get(e.getKey());
                if (workers.revive(e.getKey(), back)) {
                    retiring.remove(e.getKey());
                    running.put(e.getKey(), back);
                    kept++;
                } else if (workers.done(back)) { // it finished since the sweep: nothing holds the key any more
                    retiring.remove(e.getKey());
                    running.put(e.getKey(), workers.start(e.getKey(), e.getValue()));
                    started++;
                }
            } else {
                running.put(e.getKey(), workers.start(e.getKey(), e.getValue()));
                started++;
            }
        }
        return new Change(started, retired, kept);
    }

    /**
     * Starts a worker for a key nobody lists any more and retires it at once: what a stored position left by
     * an earlier run needs (read to the end, then forgotten). Nothing happens when the key has a worker.
     */
    public synchronized void finish(K key, T target) {
        if (!running.containsKey(key) && !retiring.containsKey(key)) {
            retire(key, workers.start(key, target));
        }
    }

    private void retire(K key, W worker) {
        workers.retire(key, worker);
        if (!workers.done(worker)) {
            retiring.put(key, worker);
        }
    }

    /** Drops the retired workers that are done. */
    public synchronized void sweep() {
        retiring.values().removeIf(workers::done);
    }

    /** Every worker, running or finishing, in start order. */
    public synchronized List<W> workers() {
        sweep();
        List<W> all = new ArrayList<>(running.values());
        all.addAll(retiring.values());
        return all;
    }

    /** The running worker of a key, or null. */
    public synchronized W get(K key) {
        return running.get(key);
    }

    /** Forgets every worker and hands them over, for the caller to stop as it must (running ones first). */
    public synchronized List<W> clear() {
        List<W> all = new ArrayList<>(running.values());
        all.addAll(retiring.values());
        running.clear();
        retiring.clear();
        return all;
    }
}
