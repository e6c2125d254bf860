package io.caravan.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's one {@link KubernetesClient}: k8s-discovery, pod-logs and the Lease election find it in the
 * registry, so there is one connection pool and one set of credentials. fabric8 configures it itself: the
 * pod's service account in a cluster, else kubeconfig, else {@code KUBERNETES_MASTER}. Building it does not
 * contact the API server, so the agent starts without one.
 */
@Configuration(proxyBeanMethods = false)
public class KubernetesClientConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(KubernetesClient.class)
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }
}
