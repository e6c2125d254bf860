package io.caravan.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The Spring wiring only: one client bean. */
class KubernetesClientConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(CamelContext.class, DefaultCamelContext::new)
            .withUserConfiguration(KubernetesClientConfiguration.class);

    @Test
    void definesOneClient() {
        runner.run(context -> assertThat(context).hasSingleBean(KubernetesClient.class));
    }

    @Test
    void anExistingClientBeanIsKept() {
        try (MockCluster cluster = new MockCluster()) {
            runner.withBean("myClient", KubernetesClient.class, () -> cluster.client).run(context ->
                    assertThat(context.getBean(KubernetesClient.class)).isSameAs(cluster.client));
        }
    }
}
