package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeTargetsTest {

    static Node sampleNode(String name) {
        return new NodeBuilder()
                .withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("node-role.kubernetes.io/control-plane", "")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata()
                .withNewSpec().withProviderID("aws:///eu-west-1a/i-123").endSpec()
                .withNewStatus()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewAddress().withType("ExternalIP").withAddress("203.0.113.7").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.5").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.6").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus()
                .build();
    }

    /** Written by hand from node.go: nodeLabels + address, instance and the first address of each type. */
    @Test
    void exactLabelSetAsPrometheusBuildsIt() {
        Labels expected = Labels.of(
                "__address__", "10.0.0.5:10250",
                "instance", "node-a",
                "__meta_kubernetes_node_name", "node-a",
                "__meta_kubernetes_node_provider_id", "aws:///eu-west-1a/i-123",
                "__meta_kubernetes_node_label_kubernetes_io_hostname", "node-a",
                "__meta_kubernetes_node_labelpresent_kubernetes_io_hostname", "true",
                "__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane", "true",
                "__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl", "0",
                "__meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl", "true",
                "__meta_kubernetes_node_address_Hostname", "node-a",
                "__meta_kubernetes_node_address_ExternalIP", "203.0.113.7",
                "__meta_kubernetes_node_address_InternalIP", "10.0.0.5");
        assertThat(NodeTargets.of(sampleNode("node-a"))).containsExactly(new Target(expected));
    }

    @Test
    void addressFollowsPrometheusPreferenceOrder() {
        assertThat(addressOf("Hostname", "h", "ExternalDNS", "ext.example", "InternalDNS", "int.example"))
                .isEqualTo("int.example:10250");
        assertThat(addressOf("Hostname", "h", "ExternalDNS", "ext.example", "ExternalIP", "203.0.113.1"))
                .isEqualTo("203.0.113.1:10250");
        assertThat(addressOf("Hostname", "h", "ExternalDNS", "ext.example")).isEqualTo("ext.example:10250");
        assertThat(addressOf("Hostname", "h", "LegacyHostIP", "10.9.9.9")).isEqualTo("10.9.9.9:10250");
        assertThat(addressOf("Hostname", "h")).isEqualTo("h:10250");
    }

    @Test
    void nodeWithoutAddressHasNoTarget() {
        Node bare = new NodeBuilder(sampleNode("n")).editStatus().withAddresses().endStatus().build();
        assertThat(NodeTargets.of(bare)).isEmpty();
    }

    @Test
    void missingKubeletEndpointGivesPortZeroLikeGo() {
        Node noPort = new NodeBuilder(sampleNode("n")).editStatus().withDaemonEndpoints(null).endStatus().build();
        assertThat(NodeTargets.of(noPort).get(0).address()).isEqualTo("10.0.0.5:0");
    }

    private static String addressOf(String... typesAndAddresses) {
        NodeBuilder b = new NodeBuilder(sampleNode("n"));
        b.editStatus().withAddresses().endStatus();
        for (int i = 0; i < typesAndAddresses.length; i += 2) {
            b.editStatus().addNewAddress().withType(typesAndAddresses[i]).withAddress(typesAndAddresses[i + 1]).endAddress().endStatus();
        }
        List<Target> t = NodeTargets.of(b.build());
        return t.get(0).address();
    }
}
