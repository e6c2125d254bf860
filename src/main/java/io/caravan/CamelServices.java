package io.caravan;

import io.caravan.cluster.ElectionMode;
import io.caravan.cluster.LeaseClusterService;
import io.caravan.cluster.LeaseTiming;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Camel services whose Spring Boot starters Camel 4.18 does not publish (camel-master, the file cluster service,
 * camel-opentelemetry2), and Caravan's Lease cluster service, wired from the {@code camel.cluster.*} properties the
 * starters read. camel-spring-boot adds every {@link CamelClusterService} bean to the context; exactly one exists,
 * or the master component could not choose.
 */
@Configuration(proxyBeanMethods = false)
class CamelServices {

    /**
     * The one cluster service (CARAVAN_LEADER_ELECTION, see {@link ElectionMode}): a lock file under
     * {@code camel.cluster.file.root} (one agent, or agents sharing the directory: the embedded default), or Leases
     * "leaders-GROUP" in the pod's namespace, through the agent's Kubernetes client. A lock file in a pod that is not
     * declared shared fails the start here, with what to set.
     */
    @Bean
    CamelClusterService clusterService(Environment env, ObjectProvider<KubernetesClient> kubernetes) {
        return switch (ElectionMode.choose(env)) {
            case FILE -> {
                FileLockClusterService service = new FileLockClusterService();
                service.setId("file-cluster-service");
                service.setRoot(env.getRequiredProperty("camel.cluster.file.root"));
                yield service;
            }
            case KUBERNETES -> new LeaseClusterService(kubernetes.getObject(),
                    env.getRequiredProperty("camel.cluster.kubernetes.kubernetes-namespace"),
                    env.getRequiredProperty("camel.cluster.kubernetes.pod-name"),
                    LeaseTiming.ofMillis(env.getRequiredProperty("camel.cluster.kubernetes.lease-duration-millis", Long.class),
                            env.getRequiredProperty("camel.cluster.kubernetes.renew-deadline-millis", Long.class),
                            env.getRequiredProperty("camel.cluster.kubernetes.retry-period-millis", Long.class)));
        };
    }

    /**
     * One start attempt per leadership. The master consumer's start task reports "not done" even after a success, so
     * it runs again a back-off delay later: a second attempt would create and start the source again if the leadership
     * was lost in between (its loss handler found nothing to stop while the start was pending: CAMEL-24583). With one
     * attempt the task only finds its budget spent and says so (BackgroundTask's WARN, set to ERROR in
     * application.yaml); a failed start is logged by the consumer and left to the next leadership.
     */
    @Bean("master")
    MasterComponent master() {
        MasterComponent master = new MasterComponent();
        master.setBackOffMaxAttempts(1);
        return master;
    }

    /** Camel's route tracer, only when self-tracing installed an OpenTelemetry SDK (CaravanApplication sets this). */
    @Bean
    @ConditionalOnProperty(name = "camel.opentelemetry2.enabled", havingValue = "true")
    OpenTelemetryTracer routeTracer(CamelContext camel) {
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.init(camel);
        return tracer;
    }
}
