package io.caravan.bench.soak;

import io.caravan.discovery.MockCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The API server the agent discovers this node's pods from: fabric8's mock in CRUD mode ({@link MockCluster}, which
 * honours the {@code spec.nodeName} field selector the agent's discovery asks with), plain http on 127.0.0.1, with
 * one Node and the Running pods the harness creates and deletes. The mock assigns each new pod its uid, and the
 * kubelet names the pod's log directory after it. A delete is immediate (no graceful termination).
 */
final class PodCluster implements AutoCloseable {

    static final String NODE = "soak-node";
    /** The mock logs every request at INFO on the harness's console; held here, as JUL holds loggers weakly. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final MockCluster cluster = new MockCluster();
    private int podIp;

    PodCluster() {
        cluster.client.resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress().endStatus()
                .build()).create();
    }

    /** What the agent's fabric8 client is given as KUBERNETES_MASTER. */
    String url() {
        return "http://127.0.0.1:" + cluster.server.getPort();
    }

    /** Creates a Running pod with one container on this node; returns the uid the API server gave it. */
    synchronized String create(String namespace, String name, String container) {
        podIp = podIp % 250 + 1;
        return cluster.client.resource(new PodBuilder()
                        .withNewMetadata().withNamespace(namespace).withName(name)
                        .withLabels(Map.of("app.kubernetes.io/name", name.replaceAll("-[^-]+$", ""))).endMetadata()
                        .withNewSpec().withNodeName(NODE).addNewContainer().withName(container).withImage("soak").endContainer().endSpec()
                        .withNewStatus().withPhase("Running").withPodIP("127.0.1." + podIp).endStatus()
                        .build())
                .create().getMetadata().getUid();
    }

    synchronized void delete(String namespace, String name) {
        cluster.client.pods().inNamespace(namespace).withName(name).delete();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
