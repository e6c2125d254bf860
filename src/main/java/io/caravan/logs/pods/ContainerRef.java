package io.caravan.logs.pods;

import io.caravan.model.Labels;

import java.nio.file.Path;
import java.util.Arrays;

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

    /**
     * The container a position key names, or null when it is not one: the kubelet's names cannot hold '_'
     * (namespaces and containers are DNS labels, pods DNS subdomains, uids UUIDs), so the key splits back.
     */
    public static ContainerRef ofKey(String key) {
        int slash = key.indexOf('/');
        String[] dir = slash < 0 ? new String[0] : key.substring(0, slash).split("_", -1);
        String c = slash < 0 ? "" : key.substring(slash + 1);
        if (dir.length != 3 || c.isEmpty() || c.indexOf('/') >= 0 || Arrays.stream(dir).anyMatch(String::isEmpty)) {
            return null;
        }
        return new ContainerRef(dir[0], dir[1], dir[2], c);
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
