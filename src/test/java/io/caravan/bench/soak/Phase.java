package io.caravan.bench.soak;

/**
 * The soak's phases, as fractions of the run's length (10 minutes: warm-up 0:00-0:30, steady to 2:00, outage
 * 2:00-5:00, recovery to 6:00, kill -9 at 6:00 (down, then started again), graceful restart at 7:00, rotation
 * storm 7:45-9:00, drain from 9:00). Soak holds a phase while the agent is down, until the restarted one has settled,
 * and for at least half its length.
 */
enum Phase {
    WARMUP("warm-up", 0.00),
    STEADY("steady", 0.05),
    OUTAGE("outage", 0.20),
    RECOVERY("recovery", 0.50),
    KILL("kill -9", 0.60),
    GRACEFUL("graceful restart", 0.70),
    STORM("rotation storm", 0.775),
    DRAIN("drain", 0.90);

    final String label;
    final double startFraction;

    Phase(String label, double startFraction) {
        this.label = label;
        this.startFraction = startFraction;
    }

    long startMillis(long totalMillis) {
        return Math.round(startFraction * totalMillis);
    }

    long endMillis(long totalMillis) {
        return ordinal() + 1 < values().length ? values()[ordinal() + 1].startMillis(totalMillis) : totalMillis;
    }

    static Phase at(long elapsedMillis, long totalMillis) {
        Phase p = WARMUP;
        for (Phase q : values()) {
            if (elapsedMillis >= q.startMillis(totalMillis)) {
                p = q;
            }
        }
        return p;
    }
}
