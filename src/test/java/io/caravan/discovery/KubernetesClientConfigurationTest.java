package io.caravan.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spring wiring only: one client bean, and the health indicator under the name actuator shows. */
class KubernetesClientConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(CamelContext.class, DefaultCamelContext::new)
            .withUserConfiguration(KubernetesClientConfiguration.class);

    @Test
    void definesOneClientAndAHealthIndicatorNamedKubernetesDiscovery() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KubernetesClient.class);
            assertThat(context.getBean("kubernetesDiscovery")).isInstanceOf(HealthIndicator.class);
            assertThat(context.getBean("kubernetesDiscovery", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void anExistingClientBeanIsKept() {
        try (MockCluster cluster = new MockCluster()) {
            runner.withBean("myClient", KubernetesClient.class, () -> cluster.client).run(context ->
                    assertThat(context.getBean(KubernetesClient.class)).isSameAs(cluster.client));
        }
    }
}
