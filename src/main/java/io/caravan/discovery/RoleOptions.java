package io.caravan.discovery;

/**
 * How a role builds targets beyond the objects themselves.
 *
 * @param nodeName           endpoints and endpointslice: keep only the endpoints on this node (the endpoint's
 *                           nodeName, else a Node target reference), so each agent of a DaemonSet takes its own;
 *                           empty: all. (Pods and nodes are selected by the API server instead.)
 * @param attachNodeMetadata Prometheus' {@code attach_metadata: {node: true}}: the node's name, labels and
 *                           annotations on pod and endpoint targets
 * @param nodelessOnly       endpoints and endpointslice: keep only the endpoints on no node (an external address,
 *                           the API server's own endpoints), which no node-local agent takes: for the elected agent
 */
record RoleOptions(String nodeName, boolean attachNodeMetadata, boolean nodelessOnly) {

    static final RoleOptions DEFAULT = new RoleOptions("", false);

    RoleOptions(String nodeName, boolean attachNodeMetadata) {
        this(nodeName, attachNodeMetadata, false);
    }

    boolean nodeLocal() {
        return !nodeName.isEmpty();
    }

    /** Whether an endpoint on this node (null: none) is kept. */
    boolean keepsEndpointOn(String node) {
        if (nodelessOnly) {
            return node == null;
        }
        return !nodeLocal() || nodeName.equals(node);
    }
}
