package io.caravan.bench.soak;

/**
 * What happened to the file a line was written into: the event a lost line is put down to. A tail file's
 * generation ends in a rotation (or stays live); a pod incarnation's log ends with the pod's deletion (or stays live).
 */
enum Fate {
    LIVE("tail file never rotated"),
    COPYTRUNCATED("copytruncate (copy kept as app-N.log.1)"),
    RENAMED("rename (kept as app-N.log-<date>)"),
    RENAMED_GZIPPED("rename + gzip (app-N.log-<date>.gz, original removed)"),
    POD_LIVE("pod never deleted"),
    POD_CHURNED("pod deleted and recreated, agent up"),
    POD_RECREATED_KILL("pod deleted and recreated while down (kill -9)"),
    POD_RECREATED_GRACEFUL("pod deleted and recreated during the graceful restart");

    final String label;

    Fate(String label) {
        this.label = label;
    }

    boolean pod() {
        return ordinal() >= POD_LIVE.ordinal();
    }
}
