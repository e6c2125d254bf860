package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets of one service, with exactly the labels of Prometheus' kubernetes_sd {@code role: service}
 * (discovery/kubernetes/service.go): one per service port, addressed by the service's DNS name
 * ({@code <name>.<namespace>.svc:<port>}), as a blackbox probe of the service would reach it.
 */
final class ServiceTargets {

    static final String SERVICE = MetaLabels.PREFIX + "service_";
    static final String PORT_NAME = SERVICE + "port_name";
    static final String PORT_NUMBER = SERVICE + "port_number";
    static final String PORT_PROTOCOL = SERVICE + "port_protocol";
    static final String CLUSTER_IP = SERVICE + "cluster_ip";
    static final String LOAD_BALANCER_IP = SERVICE + "loadbalancer_ip";
    static final String EXTERNAL_NAME = SERVICE + "external_name";
    static final String TYPE = SERVICE + "type";

    private ServiceTargets() {
    }

    static List<Target> of(Service svc) {
        Labels group = serviceLabels(svc);
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        String name = svc.getMetadata() == null ? "" : svc.getMetadata().getName();
        String namespace = svc.getMetadata() == null ? "" : svc.getMetadata().getNamespace();
        List<Target> targets = new ArrayList<>();
        for (ServicePort port : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
            String number = Integer.toString(port.getPort() == null ? 0 : port.getPort());
            Labels.Builder b = group.toBuilder()
                    .set(Target.ADDRESS, MetaLabels.joinHostPort(name + "." + namespace + ".svc", number))
                    .set(PORT_NAME, port.getName())
                    .set(PORT_NUMBER, number)
                    .set(PORT_PROTOCOL, port.getProtocol())
                    .set(TYPE, spec.getType());
            if ("ExternalName".equals(spec.getType())) {
                b.set(EXTERNAL_NAME, spec.getExternalName());
            } else {
                b.set(CLUSTER_IP, spec.getClusterIP());
            }
            if ("LoadBalancer".equals(spec.getType())) {
                b.set(LOAD_BALANCER_IP, loadBalancerIps(svc, spec));
            }
            targets.add(new Target(b.build()));
        }
        return targets;
    }

    /** The namespace and the service's name, labels and annotations: what the endpoint roles borrow too. */
    static Labels serviceLabels(Service svc) {
        Labels.Builder b = Labels.builder();
        if (svc.getMetadata() != null) {
            b.set(MetaLabels.NAMESPACE, svc.getMetadata().getNamespace());
        }
        MetaLabels.addObjectMeta(b, "service", svc.getMetadata());
        return b.build();
    }

    /** status.loadBalancer.ingress IPs joined by commas, else the deprecated spec.loadBalancerIP (as Prometheus does). */
    private static String loadBalancerIps(Service svc, ServiceSpec spec) {
        List<String> ips = new ArrayList<>();
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null
                && svc.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : svc.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
                    ips.add(ingress.getIp());
                }
            }
        }
        return ips.isEmpty() ? spec.getLoadBalancerIP() : String.join(",", ips);
    }
}
