package io.caravan.discovery;

/**
 * How a role builds targets beyond the objects themselves.
 *
 * @param nodeName           endpoints and endpointslice: keep only the endpoints on this node (the endpoint's
 *                           nodeName, else a Node target reference), so each agent of a DaemonSet takes its own;
 *                           empty: all. (Pods and nodes are selected by the API server instead.)
 * @param attachNodeMetadata Prometheus' {@code attach_metadata: {node: true}}: the node's name, labels and
 *                           annotations on pod and endpoint targets
 */
record RoleOptions(String nodeName, boolean attachNodeMetadata) {

    static final RoleOptions DEFAULT = new RoleOptions("", false);

    boolean nodeLocal() {
        return !nodeName.isEmpty();
    }
}
