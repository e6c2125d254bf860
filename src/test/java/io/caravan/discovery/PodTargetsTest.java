package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodTargetsTest {

    /** A pod as the API server returns it: one container with two ports, one without, one init container. */
    static Pod samplePod() {
        return new PodBuilder()
                .withNewMetadata().withName("web-7d9f").withNamespace("shop").withUid("uid-1")
                .addToLabels("app.kubernetes.io/name", "web").addToLabels("tier", "")
                .addToAnnotations("prometheus.io/scrape", "true")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-7d").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-a")
                .addNewInitContainer().withName("migrate").withImage("migrate:1").endInitContainer()
                .addNewContainer().withName("app").withImage("web:2")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withContainerPort(9090).withProtocol("UDP").endPort()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("proxy:3").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1.2.3").withHostIP("192.168.0.10")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("app").withContainerID("containerd://aaa").endContainerStatus()
                .addNewContainerStatus().withName("sidecar").withContainerID("containerd://bbb").endContainerStatus()
                .addNewInitContainerStatus().withName("migrate").withContainerID("containerd://ccc").endInitContainerStatus()
                .endStatus()
                .build();
    }

    @Test
    void oneTargetPerPortPlusOnePerPortlessContainerIncludingInitContainers() {
        List<Target> targets = PodTargets.of(samplePod());
        assertThat(targets).extracting(Target::address)
                .containsExactly("10.1.2.3:8080", "10.1.2.3:9090", "10.1.2.3", "10.1.2.3");
        assertThat(targets).extracting(t -> t.labels().get("__meta_kubernetes_pod_container_init"))
                .containsExactly("false", "false", "false", "true");
    }

    /** Written by hand from pod.go: group labels (podLabels + namespace) merged with the target's own. */
    @Test
    void exactLabelSetOfOnePortTargetAsPrometheusBuildsIt() {
        Labels expected = Labels.of(
                "__address__", "10.1.2.3:8080",
                "__meta_kubernetes_namespace", "shop",
                "__meta_kubernetes_pod_name", "web-7d9f",
                "__meta_kubernetes_pod_ip", "10.1.2.3",
                "__meta_kubernetes_pod_uid", "uid-1",
                "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_ready", "true",
                "__meta_kubernetes_pod_node_name", "node-a",
                "__meta_kubernetes_pod_host_ip", "192.168.0.10",
                "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
                "__meta_kubernetes_pod_controller_name", "web-7d",
                "__meta_kubernetes_pod_label_app_kubernetes_io_name", "web",
                "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true",
                // an empty label value is absent, its presence is not
                "__meta_kubernetes_pod_labelpresent_tier", "true",
                "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
                "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true",
                "__meta_kubernetes_pod_container_name", "app",
                "__meta_kubernetes_pod_container_id", "containerd://aaa",
                "__meta_kubernetes_pod_container_image", "web:2",
                "__meta_kubernetes_pod_container_init", "false",
                "__meta_kubernetes_pod_container_port_name", "http",
                "__meta_kubernetes_pod_container_port_number", "8080",
                "__meta_kubernetes_pod_container_port_protocol", "TCP");
        assertThat(PodTargets.of(samplePod()).get(0).labels()).isEqualTo(expected);
    }

    @Test
    void portlessAndInitTargetsCarryNoPortLabelsAndTheirOwnContainerId() {
        List<Target> targets = PodTargets.of(samplePod());
        Labels sidecar = targets.get(2).labels();
        assertThat(sidecar.get("__meta_kubernetes_pod_container_name")).isEqualTo("sidecar");
        assertThat(sidecar.get("__meta_kubernetes_pod_container_id")).isEqualTo("containerd://bbb");
        assertThat(sidecar.has("__meta_kubernetes_pod_container_port_number")).isFalse();
        Labels init = targets.get(3).labels();
        assertThat(init.get("__meta_kubernetes_pod_container_name")).isEqualTo("migrate");
        assertThat(init.get("__meta_kubernetes_pod_container_id")).isEqualTo("containerd://ccc");
        assertThat(init.get("__meta_kubernetes_pod_container_image")).isEqualTo("migrate:1");
    }

    @Test
    void podWithoutIpHasNoTargets() {
        Pod pending = new PodBuilder(samplePod()).editStatus().withPodIP(null).withPhase("Pending").endStatus().build();
        assertThat(PodTargets.of(pending)).isEmpty();
    }

    @Test
    void readinessFollowsTheReadyConditionAndIsUnknownWithoutOne() {
        Pod notReady = new PodBuilder(samplePod()).editStatus().withConditions()
                .addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build();
        Pod noCondition = new PodBuilder(samplePod()).editStatus().withConditions().endStatus().build();
        assertThat(PodTargets.of(notReady).get(0).labels().get("__meta_kubernetes_pod_ready")).isEqualTo("false");
        assertThat(PodTargets.of(noCondition).get(0).labels().get("__meta_kubernetes_pod_ready")).isEqualTo("unknown");
    }

    @Test
    void phasesAreCopiedAsTheyAre() {
        for (String phase : List.of("Pending", "Running", "Succeeded", "Failed", "Unknown")) {
            Pod p = new PodBuilder(samplePod()).editStatus().withPhase(phase).endStatus().build();
            assertThat(PodTargets.of(p).get(0).labels().get("__meta_kubernetes_pod_phase")).isEqualTo(phase);
        }
    }

    @Test
    void onlyTheControllerOwnerNamesTheController() {
        Pod notController = new PodBuilder(samplePod()).editMetadata().withOwnerReferences()
                .addNewOwnerReference().withKind("Node").withName("node-a").withController(false).endOwnerReference()
                .addNewOwnerReference().withKind("DaemonSet").withName("agent").withController(true).endOwnerReference()
                .endMetadata().build();
        Labels l = PodTargets.of(notController).get(0).labels();
        assertThat(l.get("__meta_kubernetes_pod_controller_kind")).isEqualTo("DaemonSet");
        assertThat(l.get("__meta_kubernetes_pod_controller_name")).isEqualTo("agent");

        Pod orphan = new PodBuilder(samplePod()).editMetadata().withOwnerReferences().endMetadata().build();
        assertThat(PodTargets.of(orphan).get(0).labels().has("__meta_kubernetes_pod_controller_kind")).isFalse();
    }

    @Test
    void ipv6AddressesAreBracketedOnlyWithAPort() {
        Pod v6 = new PodBuilder(samplePod()).editStatus().withPodIP("fd00::1").endStatus().build();
        assertThat(PodTargets.of(v6)).extracting(Target::address)
                .containsExactly("[fd00::1]:8080", "[fd00::1]:9090", "fd00::1", "fd00::1");
    }
}
