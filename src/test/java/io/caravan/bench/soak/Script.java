package io.caravan.bench.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Timed steps of a phase (what happens while the agent is down, and its start again), run by the harness's main loop
 * when they are due: the loop stays the one thread that drives the agent, the pods and the rotations on demand.
 */
final class Script {

    interface Step {
        void run() throws Exception;
    }

    private record Timed(long at, Step step) {
    }

    private final List<Timed> steps = new ArrayList<>();

    void at(long epochMillis, Step step) {
        steps.add(new Timed(epochMillis, step));
    }

    /** Runs the steps due by {@code nowMillis}, earliest first. */
    void runDue(long nowMillis) throws Exception {
        List<Timed> due = steps.stream().filter(t -> t.at() <= nowMillis).sorted(Comparator.comparingLong(Timed::at)).toList();
        steps.removeAll(due);
        for (Timed t : due) {
            t.step().run();
        }
    }

    boolean pending() {
        return !steps.isEmpty();
    }
}
