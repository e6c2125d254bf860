package io.caravan.fleet;

import io.caravan.CaravanApplication;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.caravan.scrape.ScrapeComponent;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import io.caravan.cluster.LeaseClusterService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production wiring of CARAVAN_LEADER_ELECTION=kubernetes: the whole agent, with the Lease cluster service (and
 * not the file one) taking the blackbox Lease in the pod's namespace under the pod's name, through the agent's
 * Kubernetes client; and where an operator sees it: the health page, caravan_leader, the UI's pipeline API.
 */
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"CARAVAN_LEADER_ELECTION=kubernetes", "POD_NAMESPACE=observability", "POD_NAME=caravan-x1",
                "CARAVAN_SELF_SCRAPE=false", "CARAVAN_LEADER_LEASE_DURATION_MILLIS=3000",
                "CARAVAN_LEADER_RENEW_DEADLINE_MILLIS=2000", "CARAVAN_LEADER_RETRY_PERIOD_MILLIS=500"})
class LeaderElectionWiringTest {

    static KubernetesMockServer api;
    static KubernetesClient admin;

    @Autowired
    CamelContext camel;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        api = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new FieldSelectingCrudDispatcher(), false);
        api.init();
        admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api.url("/")).build()).build();
        admin.resource(new PodBuilder().withNewMetadata().withNamespace("observability").withName("caravan-x1").endMetadata()
                .withNewSpec().addNewContainer().withName("caravan").withImage("caravan:dev").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("caravan").withReady(true).withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build()).create();
        // fabric8's own settings (in production: in-cluster config and the service account's namespace file), as
        // system properties: the agent's client (which the Lease service uses) is built from them
        System.setProperty("kubernetes.master", api.url("/"));
        System.setProperty("kubernetes.namespace", "observability");
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        registry.add("CARAVAN_DATA_DIR", () -> System.getProperty("java.io.tmpdir") + "/caravan-wiring-" + ProcessHandle.current().pid());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("kubernetes.master");
        System.clearProperty("kubernetes.namespace");
        System.clearProperty("kubernetes.auth.tryKubeConfig");
        if (admin != null) {
            admin.close();
        }
        if (api != null) {
            api.destroy();
        }
    }

    @Test
    void theLeaseClusterServiceAloneTakesTheBlackboxLeaseAndSaysSo() throws Exception {
        assertThat(camel.hasServices(CamelClusterService.class)).singleElement().isInstanceOf(LeaseClusterService.class);
        LeaseClusterService k8s = (LeaseClusterService) camel.hasServices(CamelClusterService.class).iterator().next();
        assertThat(k8s.namespace()).isEqualTo("observability");
        assertThat(k8s.identity()).isEqualTo("caravan-x1");
        assertThat(k8s.timing().leaseDuration().toMillis()).isEqualTo(3000);
        assertThat(k8s.timing().renewDeadline().toMillis()).isEqualTo(2000);
        assertThat(k8s.timing().retryPeriod().toMillis()).isEqualTo(500);
        long deadline = System.currentTimeMillis() + 20_000;
        Lease lease = null;
        while (System.currentTimeMillis() < deadline) {
            lease = admin.leases().inNamespace("observability").withName("leaders-blackbox").get();
            if (lease != null && "caravan-x1".equals(lease.getSpec().getHolderIdentity())
                    && blackboxLoops() == 5) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(lease).as("the blackbox Lease").isNotNull();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("caravan-x1");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
        assertThat(k8s.isLeader("blackbox")).isTrue();
        // the master consumer started its delegate: this agent probes the seed's five targets
        assertThat(blackboxLoops()).isEqualTo(5);
        assertThat(new File(System.getProperty("java.io.tmpdir") + "/caravan-wiring-" + ProcessHandle.current().pid() + "/cluster"))
                .as("no file lock in Kubernetes mode").doesNotExist();

        // camel-master's start task would say "The task Leadership does not have more budget" a back-off delay (5 s)
        // after the start; the agent's logging leaves that out
        ch.qos.logback.classic.Logger tasks = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.apache.camel.support.task.BackgroundTask.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> said = new ch.qos.logback.core.read.ListAppender<>();
        said.start();
        tasks.addAppender(said);
        try {
            Thread.sleep(6_000);
        } finally {
            tasks.detachAppender(said);
        }
        assertThat(said.list).as("BackgroundTask's log after a start").isEmpty();
        assertThat(blackboxLoops()).as("still probing").isEqualTo(5);

        // where an operator looks
        assertThat(get("/actuator/health")).contains("\"leadership\":{\"status\":\"UP\"")
                .contains("\"blackbox\":{\"group\":\"blackbox\",\"role\":\"leader\",\"leader\":\"caravan-x1\",\"lease\":\"observability/leaders-blackbox\"");
        assertThat(get("/actuator/prometheus")).contains("caravan_leader{application=\"caravan\",group=\"blackbox\"} 1.0");
        assertThat(get("/api/v1/pipelines")).contains("\"id\":\"blackbox\"")
                .contains("\"leadership\":{\"group\":\"blackbox\",\"role\":\"leader\",\"leader\":\"caravan-x1\"");
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int blackboxLoops() {
        return camel.getComponent("scrape", ScrapeComponent.class).jobs().stream().filter(j -> j.name().equals("blackbox"))
                .mapToInt(j -> j.targets().size()).sum();
    }
}
