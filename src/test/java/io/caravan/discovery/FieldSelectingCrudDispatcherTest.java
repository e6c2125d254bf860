package io.caravan.discovery;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test dispatcher must really filter, or the node-local discovery tests would prove nothing. */
class FieldSelectingCrudDispatcherTest {

    static Pod pod(String ns, String name, String node) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0." + Math.abs(name.hashCode() % 250)).endStatus()
                .build();
    }

    @Test
    void stockDispatcherIgnoresSpecFieldSelectorsWhichIsWhyTheSubclassExists() {
        try (MockCluster cluster = new MockCluster(new KubernetesCrudDispatcher(), 0)) {
            cluster.client.resource(pod("a", "p1", "node-a")).create();
            assertThat(cluster.client.pods().inAnyNamespace().withField("spec.nodeName", "node-a").list().getItems()).isEmpty();
        }
    }

    @Test
    void listHonoursSpecAndStatusFieldSelectors() {
        try (MockCluster cluster = new MockCluster()) {
            cluster.client.resource(pod("a", "p1", "node-a")).create();
            cluster.client.resource(pod("a", "p2", "node-b")).create();
            cluster.client.resource(pod("b", "p3", "node-a")).create();

            assertThat(names(cluster.client.pods().inAnyNamespace().withField("spec.nodeName", "node-a").list().getItems()))
                    .containsExactlyInAnyOrder("p1", "p3");
            assertThat(names(cluster.client.pods().inNamespace("a").withField("spec.nodeName", "node-a").list().getItems()))
                    .containsExactly("p1");
            assertThat(names(cluster.client.pods().inAnyNamespace().withoutField("spec.nodeName", "node-a").list().getItems()))
                    .containsExactly("p2");
            assertThat(names(cluster.client.pods().inAnyNamespace().withField("status.phase", "Running").list().getItems()))
                    .hasSize(3);
            assertThat(names(cluster.client.pods().inAnyNamespace().withField("metadata.name", "p2").list().getItems()))
                    .containsExactly("p2");
        }
    }

    @Test
    void watchHonoursSpecFieldSelectors() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (Watch ignored = cluster.client.pods().inAnyNamespace().withField("spec.nodeName", "node-a")
                    .watch(new Watcher<Pod>() {
                        @Override
                        public void eventReceived(Action action, Pod resource) {
                            events.add(action + " " + resource.getMetadata().getName());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    })) {
                cluster.client.resource(pod("a", "other", "node-b")).create();
                cluster.client.resource(pod("a", "mine", "node-a")).create();
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED mine");
                assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
            }
        }
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }
}
