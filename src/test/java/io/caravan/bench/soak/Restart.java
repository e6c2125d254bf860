package io.caravan.bench.soak;

/**
 * One stop of the agent and its start again on the same data dir: the kill -9 or the graceful stop (SIGTERM).
 * Its down window, from the signal to the new process's readiness, is what "while the agent was down" means in the
 * report: a rotation or a pod deletion in it was not seen by any agent as it happened.
 */
final class Restart {

    enum Kind {
        KILL("kill -9", Fate.POD_RECREATED_KILL),
        GRACEFUL("graceful restart (SIGTERM)", Fate.POD_RECREATED_GRACEFUL);

        final String label;
        final Fate podFate;

        Kind(String label, Fate podFate) {
            this.label = label;
            this.podFate = podFate;
        }
    }

    final Kind kind;
    final int stoppedIncarnation;
    final long signalAt;
    long goneAt = -1;
    long startedAt = -1;
    long readyAt = -1;
    AgentProcess.Stopped stop; // the graceful stop's outcome

    Restart(Kind kind, int stoppedIncarnation, long signalAt) {
        this.kind = kind;
        this.stoppedIncarnation = stoppedIncarnation;
        this.signalAt = signalAt;
    }

    /** From the signal until the new agent was ready (or {@code end} if it never was). */
    boolean down(long epochMillis, long end) {
        return epochMillis >= signalAt && epochMillis <= (readyAt > 0 ? readyAt : end);
    }

    boolean awaitingReady() {
        return readyAt < 0;
    }
}
