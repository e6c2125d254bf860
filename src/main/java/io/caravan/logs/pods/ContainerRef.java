package io.caravan.logs.pods;

import io.caravan.model.Labels;

import java.nio.file.Path;

/**
 * One container of one pod instance, from a target's discovery labels. Targets for several ports of a container
 * are the same ContainerRef, so the container is followed once.
 */
public record ContainerRef(String namespace, String pod, String uid, String container) {

    public static final String NAMESPACE = "__meta_kubernetes_namespace";
    public static final String POD_NAME = "__meta_kubernetes_pod_name";
    public static final String POD_UID = "__meta_kubernetes_pod_uid";
    public static final String CONTAINER_NAME = "__meta_kubernetes_pod_container_name";

    /** The container a target names, or null when one of the four labels is missing. */
    public static ContainerRef of(Labels labels) {
        String ns = labels.get(NAMESPACE);
        String pod = labels.get(POD_NAME);
        String uid = labels.get(POD_UID);
        String c = labels.get(CONTAINER_NAME);
        if (ns == null || pod == null || uid == null || c == null) {
            return null;
        }
        return new ContainerRef(ns, pod, uid, c);
    }

    /** The key of its position: the kubelet's directory names. */
    public String key() {
        return namespace + "_" + pod + "_" + uid + "/" + container;
    }

    /** {@code <base>/<namespace>_<pod>_<uid>/<container>}, where the kubelet keeps {@code <restartCount>.log}. */
    public Path dir(Path base) {
        return base.resolve(namespace + "_" + pod + "_" + uid).resolve(container);
    }

    @Override
    public String toString() {
        return namespace + "/" + pod + "/" + container;
    }
}
