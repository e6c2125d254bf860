package io.caravan.cluster;

import org.springframework.core.env.PropertyResolver;

import java.util.Locale;

/**
 * How master: groups elect their leader, from {@code CARAVAN_LEADER_ELECTION}. Unset: a Lease when the agent runs in a
 * pod ({@code KUBERNETES_SERVICE_HOST}, which Kubernetes sets in every container), else a lock file (a laptop, a VM).
 * A lock file in a pod is refused unless declared shared: each DaemonSet pod has its own data directory, so each would
 * take its own lock and lead, and every once-per-cluster source would run on every node.
 */
public enum ElectionMode {
    FILE, KUBERNETES;

    public static final String SETTING = "CARAVAN_LEADER_ELECTION";
    public static final String FILE_SHARED = "CARAVAN_LEADER_FILE_SHARED";

    public static ElectionMode choose(PropertyResolver env) {
        String chosen = env.getProperty(SETTING, "").trim().toLowerCase(Locale.ROOT);
        boolean inPod = !env.getProperty("KUBERNETES_SERVICE_HOST", "").isBlank();
        return switch (chosen) {
            case "" -> inPod ? KUBERNETES : FILE;
            case "kubernetes" -> KUBERNETES;
            case "file" -> {
                if (inPod && !env.getProperty(FILE_SHARED, Boolean.class, false)) {
                    throw new IllegalStateException(SETTING + "=file in a Kubernetes pod: each agent would lock its own "
                            + env.getProperty("camel.cluster.file.root", "cluster directory")
                            + " and every agent would lead, running the once-per-cluster routes (master:) on every node. Set "
                            + SETTING + "=kubernetes (a Lease; the Helm chart sets it) or leave it unset; or, if that directory"
                            + " is one volume every agent mounts, set " + FILE_SHARED + "=true.");
                }
                yield FILE;
            }
            default -> throw new IllegalStateException(SETTING + "=" + env.getProperty(SETTING)
                    + " is not a leader election: use kubernetes (a Lease) or file (a lock file), or leave it unset");
        };
    }
}
