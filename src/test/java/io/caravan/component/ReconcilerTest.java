package io.caravan.component;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerTest {

    /** A worker that finishes only when told, as a log follower reading a file to its end. */
    static final class Worker {
        final String key;
        final String target;
        boolean retired;
        boolean finished;

        Worker(String key, String target) {
            this.key = key;
            this.target = target;
        }
    }

    final List<String> events = new ArrayList<>();
    boolean finishAtOnce = true;
    boolean revivable;
    boolean revivalFinishes;

    final Reconciler<String, String, Worker> reconciler = new Reconciler<>(new Reconciler.Workers<>() {
        @Override
        public Worker start(String key, String target) {
            events.add("start " + key);
            return new Worker(key, target);
        }

        @Override
        public void retire(String key, Worker worker) {
            events.add("retire " + key);
            worker.retired = true;
            worker.finished = finishAtOnce;
        }

        @Override
        public boolean done(Worker worker) {
            return worker.finished;
        }

        @Override
        public boolean revive(String key, Worker worker) {
            events.add("revive " + key);
            worker.retired = !revivable;
            worker.finished |= revivalFinishes;
            return revivable;
        }
    });

    static Map<String, String> wanted(String... keys) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, "target-" + k);
        }
        return m;
    }

    @Test
    void startsNewRetiresVanishedAndLeavesTheRestAlone() {
        assertThat(reconciler.sync(wanted("a", "b"))).isEqualTo(new Reconciler.Change(2, 0, 0));
        Worker a = reconciler.get("a");
        assertThat(reconciler.sync(wanted("a", "c"))).isEqualTo(new Reconciler.Change(1, 1, 1));
        assertThat(reconciler.get("a")).isSameAs(a);
        assertThat(a.retired).isFalse();
        assertThat(events).containsExactly("start a", "start b", "retire b", "start c");
        assertThat(reconciler.workers()).extracting(w -> w.key).containsExactly("a", "c");
    }

    @Test
    void aRetiredWorkerStaysUntilDoneAndItsKeyIsNotSharedMeanwhile() {
        finishAtOnce = false;
        reconciler.sync(wanted("a"));
        Worker old = reconciler.get("a");
        reconciler.sync(wanted());
        assertThat(reconciler.workers()).containsExactly(old);
        assertThat(reconciler.sync(wanted("a"))).isEqualTo(new Reconciler.Change(0, 0, 0));
        assertThat(reconciler.get("a")).isNull();
        assertThat(events).containsExactly("start a", "retire a", "revive a");
        old.finished = true;
        assertThat(reconciler.sync(wanted("a"))).isEqualTo(new Reconciler.Change(1, 0, 0));
        assertThat(reconciler.get("a")).isNotSameAs(old);
        assertThat(reconciler.workers()).hasSize(1);
    }

    @Test
    void aRetiredWorkerThatCanGoOnIsTakenBackWhenItsKeyReturns() {
        finishAtOnce = false;
        revivable = true;
        reconciler.sync(wanted("a"));
        Worker old = reconciler.get("a");
        reconciler.sync(wanted());
        assertThat(reconciler.sync(wanted("a"))).isEqualTo(new Reconciler.Change(0, 0, 1));
        assertThat(reconciler.get("a")).isSameAs(old);
        assertThat(old.retired).isFalse();
        assertThat(events).containsExactly("start a", "retire a", "revive a");
    }

    @Test
    void aRetiredWorkerThatFinishesWhileItsKeyReturnsMakesWayAtOnce() {
        finishAtOnce = false;
        reconciler.sync(wanted("a"));
        Worker old = reconciler.get("a");
        reconciler.sync(wanted());
        revivalFinishes = true; // done between the sweep and the revive: too late to go on, nothing to wait for
        assertThat(reconciler.sync(wanted("a"))).isEqualTo(new Reconciler.Change(1, 0, 0));
        assertThat(reconciler.get("a")).isNotSameAs(old).isNotNull();
        assertThat(reconciler.workers()).hasSize(1);
        assertThat(events).containsExactly("start a", "retire a", "revive a", "start a");
    }

    @Test
    void finishStartsAndRetiresAWorkerForAnUnlistedKeyOnce() {
        finishAtOnce = false;
        reconciler.sync(wanted("a"));
        reconciler.finish("a", "stored-a");
        reconciler.finish("z", "stored-z");
        reconciler.finish("z", "stored-z");
        assertThat(events).containsExactly("start a", "start z", "retire z");
        assertThat(reconciler.workers()).extracting(w -> w.key).containsExactly("a", "z");
        reconciler.workers().get(1).finished = true;
        reconciler.sweep();
        assertThat(reconciler.workers()).extracting(w -> w.key).containsExactly("a");
    }

    @Test
    void clearHandsEveryWorkerOver() {
        finishAtOnce = false;
        reconciler.sync(wanted("a", "b"));
        reconciler.sync(wanted("a"));
        assertThat(reconciler.clear()).extracting(w -> w.key).containsExactly("a", "b");
        assertThat(reconciler.workers()).isEmpty();
    }
}
