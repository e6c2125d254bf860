package io.caravan.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Pods coming and going on the node: every {@code everyMillis} one pod (in turn) is deleted and a new incarnation
 * created, with a new uid and so a new log directory. Even slots are StatefulSet-like (the new pod keeps the name),
 * odd ones Deployment-like (a new name). Called from the harness's main loop only.
 *
 * <p>While the agent runs, the order is the kubelet's: the container stops writing, then the pod leaves the API
 * (the mock deletes at once; a real API server keeps a terminating pod listed until its containers have exited),
 * and its directory is removed {@code removeDelayMillis} later, as the kubelet cleans up a deleted pod's logs.
 * While the agent is down ({@link #recreate} at a kill -9 or a graceful stop, or the regular churn meanwhile) the
 * pod leaves the API first and its old file is still written for {@code graceMillis} (its termination), and the
 * old directory stays until the agent is back, then goes {@code removeDelayMillis} later: the restarted agent gets
 * the chance to finish what it had not read, though discovery no longer lists the pod.
 */
final class PodChurn {

    static final String NAMESPACE = "soak";
    private static final long AWAIT_AGENT = Long.MAX_VALUE;

    /** An old incarnation: when its file stops being written, when its directory goes. */
    private static final class Retired {
        final int incarnation;
        final long stopAt;
        long removeAt;

        Retired(int incarnation, long stopAt, long removeAt) {
            this.incarnation = incarnation;
            this.stopAt = stopAt;
            this.removeAt = removeAt;
        }
    }

    private final PodCluster api;
    private final PodLogWriter files;
    private final long everyMillis;
    private final long removeDelayMillis;
    private final long graceMillis;
    private final int[] current; // slot -> incarnation written now
    private final List<Retired> pending = new ArrayList<>();
    private final Map<Fate, Integer> deleted = new EnumMap<>(Fate.class);
    private final Random random = new Random(14);
    private long nextChurn;
    private int nextSlot;
    private boolean churning;

    PodChurn(PodCluster api, PodLogWriter files, int pods, long everyMillis, long removeDelayMillis, long graceMillis) {
        this.api = api;
        this.files = files;
        this.everyMillis = everyMillis;
        this.removeDelayMillis = removeDelayMillis;
        this.graceMillis = graceMillis;
        this.current = new int[pods];
    }

    /** The first incarnation of every pod (before the agent starts). */
    void createAll() throws IOException {
        for (int s = 0; s < current.length; s++) {
            current[s] = create(s);
        }
    }

    /** Regular churn on (from {@code nowMillis}) or off; removals and stops go on regardless. */
    void churning(boolean on, long nowMillis) {
        churning = on;
        nextChurn = nowMillis + everyMillis;
    }

    /**
     * The main loop's beat: the regular churn when it is due, as {@code downFate} while the agent is down (null while
     * it runs), and the old files' stops and directory removals that are due.
     */
    void tick(long nowMillis, Fate downFate) throws IOException {
        if (churning && nowMillis >= nextChurn) {
            nextChurn += everyMillis;
            churnOne(downFate == null ? Fate.POD_CHURNED : downFate, nowMillis);
        }
        for (var it = pending.iterator(); it.hasNext(); ) {
            Retired r = it.next();
            if (r.stopAt <= nowMillis) {
                files.stopWriting(r.incarnation);
            }
            if (r.removeAt <= nowMillis) {
                files.remove(r.incarnation);
                it.remove();
            }
        }
    }

    /** While the agent is down: {@code count} pods (in turn) deleted and recreated at once. */
    void recreate(int count, Fate fate, long nowMillis) throws IOException {
        for (int i = 0; i < Math.min(count, current.length); i++) {
            churnOne(fate, nowMillis);
        }
    }

    /** The restarted agent is ready: the directories kept for it go {@code removeDelayMillis} from now. */
    void agentBack(long nowMillis) {
        for (Retired r : pending) {
            if (r.removeAt == AWAIT_AGENT) {
                r.removeAt = Math.max(r.stopAt, nowMillis + removeDelayMillis);
            }
        }
    }

    int deleted(Fate fate) {
        return deleted.getOrDefault(fate, 0);
    }

    int pods() {
        return current.length;
    }

    private void churnOne(Fate fate, long nowMillis) throws IOException {
        int slot = nextSlot;
        nextSlot = (nextSlot + 1) % current.length;
        int old = current[slot];
        PodLogWriter.Incarnation o = files.incarnation(old);
        boolean agentUp = fate == Fate.POD_CHURNED;
        if (agentUp) {
            files.stopWriting(old); // the container has exited before its pod leaves the API
        }
        api.delete(o.namespace(), o.pod());
        files.ended(old, fate, nowMillis);
        deleted.merge(fate, 1, Integer::sum);
        current[slot] = create(slot);
        pending.add(agentUp
                ? new Retired(old, nowMillis, nowMillis + removeDelayMillis)
                : new Retired(old, nowMillis + graceMillis, AWAIT_AGENT));
    }

    private int create(int slot) throws IOException {
        String name = slot % 2 == 0 ? "db-" + slot : "web-" + slot + "-" + suffix();
        String uid = api.create(NAMESPACE, name, PodLogWriter.CONTAINER);
        return files.add(NAMESPACE, name, uid);
    }

    /** A ReplicaSet's pod-name suffix: five of bcdfghjklmnpqrstvwxz2456789. */
    private String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
