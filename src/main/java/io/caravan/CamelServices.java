package io.caravan;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Camel services whose Spring Boot starters Camel 4.18 does not publish (camel-master, the file and Kubernetes
 * cluster services, camel-opentelemetry2), wired from the same {@code camel.cluster.*} properties the starters
 * read. camel-spring-boot adds every {@link CamelClusterService} bean to the context; exactly one is on
 * ({@code CARAVAN_LEADER_ELECTION} picks it in application.yaml), or the master component cannot choose.
 */
@Configuration(proxyBeanMethods = false)
class CamelServices {

    /** Leadership through a lock file: one agent, or agents sharing the directory (the embedded default). */
    @Bean
    @ConditionalOnProperty(name = "camel.cluster.file.enabled", havingValue = "true")
    CamelClusterService fileClusterService(Environment env) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId("file-cluster-service");
        service.setRoot(env.getRequiredProperty("camel.cluster.file.root"));
        return service;
    }

    /**
     * Leadership through coordination.k8s.io Leases "leaders-GROUP" in the pod's namespace. The service builds its
     * own fabric8 client from fabric8's settings (in a pod: the service account).
     */
    @Bean
    @ConditionalOnProperty(name = "camel.cluster.kubernetes.enabled", havingValue = "true")
    CamelClusterService kubernetesClusterService(Environment env) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId("kubernetes-cluster-service");
        service.setKubernetesNamespace(env.getRequiredProperty("camel.cluster.kubernetes.kubernetes-namespace"));
        service.setPodName(env.getRequiredProperty("camel.cluster.kubernetes.pod-name"));
        service.setLeaseDurationMillis(env.getRequiredProperty("camel.cluster.kubernetes.lease-duration-millis", Long.class));
        service.setRenewDeadlineMillis(env.getRequiredProperty("camel.cluster.kubernetes.renew-deadline-millis", Long.class));
        service.setRetryPeriodMillis(env.getRequiredProperty("camel.cluster.kubernetes.retry-period-millis", Long.class));
        return service;
    }

    /**
     * One start attempt per leadership. Camel 4.18's master consumer stops its start task after a success (the
     * 4.17 bug of re-running it is fixed), but a retry still ignores a leadership loss that came in between and
     * starts the source on a non-leader (CAMEL-24583): a failed start is left to the next leadership instead.
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
