package io.caravan.fleet;

import io.caravan.CaravanApplication;
import io.caravan.discovery.FieldSelectingCrudDispatcher;
import io.caravan.scrape.ScrapeComponent;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole agent in Kubernetes mode, stopped as Kubernetes stops a pod (SIGTERM: the Spring context closes): it hands
 * the Lease on (an empty holder, which the next candidate takes at its next try) instead of leaving the others to
 * wait for it to expire. Camel stops the routes, the blackbox source among them, before the cluster service releases.
 */
class LeaseHandOverTest {

    @TempDir
    Path data;

    @Test
    void aStoppingAgentHandsTheLeaseOn() throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), new FieldSelectingCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(api.url("/")).withNamespace("observability").build()).build()) {
            ConfigurableApplicationContext agent = new SpringApplicationBuilder(CaravanApplication.class)
                    // the agent's client (KubernetesClientConfiguration steps aside for a bean that exists)
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton("kubernetesClient", client))
                    .properties("CARAVAN_LEADER_ELECTION=kubernetes", "POD_NAMESPACE=observability", "POD_NAME=caravan-x2",
                            "CARAVAN_LEADER_LEASE_DURATION_MILLIS=3000", "CARAVAN_LEADER_RENEW_DEADLINE_MILLIS=2000",
                            "CARAVAN_LEADER_RETRY_PERIOD_MILLIS=500", "CARAVAN_HTTP_PORT=0", "CARAVAN_SELF_SCRAPE=false",
                            "CARAVAN_DATA_DIR=" + data,
                            "camel.main.routes-include-pattern=classpath:routes/templates.yaml,classpath:routes/sinks.yaml,classpath:routes/blackbox.yaml")
                    .run();
            CamelContext camel = agent.getBean(CamelContext.class);
            long deadline = System.currentTimeMillis() + 20_000;
            while (!(holder(client) != null && holder(client).equals("caravan-x2") && blackboxLoops(camel) == 5)) {
                assertThat(System.currentTimeMillis()).as("leading and probing within 20 s").isLessThan(deadline);
                Thread.sleep(100);
            }

            agent.close();
            Lease lease = client.leases().inNamespace("observability").withName("leaders-blackbox").get();
            assertThat(lease.getSpec().getHolderIdentity()).as("holder after the stop").isEmpty();
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
            assertThat(Duration.between(lease.getSpec().getRenewTime(), ZonedDateTime.now())).as("released just now")
                    .isLessThan(Duration.ofSeconds(5));
        } finally {
            api.destroy();
        }
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.leases().inNamespace("observability").withName("leaders-blackbox").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static int blackboxLoops(CamelContext camel) {
        return camel.getComponent("scrape", ScrapeComponent.class).jobs().stream().filter(j -> j.name().equals("blackbox"))
                .mapToInt(j -> j.targets().size()).sum();
    }
}
