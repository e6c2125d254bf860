package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets of one ingress (networking.k8s.io/v1), with exactly the labels of Prometheus' kubernetes_sd
 * {@code role: ingress} (discovery/kubernetes/ingress.go): one per rule and path, addressed by the rule's host,
 * https when a TLS entry names the host (a {@code *.example.com} pattern covers one level).
 */
final class IngressTargets {

    static final String INGRESS = MetaLabels.PREFIX + "ingress_";
    static final String SCHEME = INGRESS + "scheme";
    static final String HOST = INGRESS + "host";
    static final String PATH = INGRESS + "path";
    static final String CLASS_NAME = INGRESS + "class_name";

    private IngressTargets() {
    }

    static List<Target> of(Ingress ingress) {
        IngressSpec spec = ingress.getSpec() == null ? new IngressSpec() : ingress.getSpec();
        Labels.Builder g = Labels.builder();
        if (ingress.getMetadata() != null) {
            g.set(MetaLabels.NAMESPACE, ingress.getMetadata().getNamespace());
        }
        g.set(CLASS_NAME, spec.getIngressClassName());
        MetaLabels.addObjectMeta(g, "ingress", ingress.getMetadata());
        Labels group = g.build();

        List<String> tlsHosts = new ArrayList<>();
        for (IngressTLS tls : spec.getTls() == null ? List.<IngressTLS>of() : spec.getTls()) {
            if (tls.getHosts() != null) {
                tlsHosts.addAll(tls.getHosts());
            }
        }
        List<Target> targets = new ArrayList<>();
        for (IngressRule rule : spec.getRules() == null ? List.<IngressRule>of() : spec.getRules()) {
            String host = rule.getHost() == null ? "" : rule.getHost();
            String scheme = tlsHosts.stream().anyMatch(pattern -> matchesHostnamePattern(pattern, host)) ? "https" : "http";
            for (String path : paths(rule)) {
                targets.add(new Target(group.toBuilder()
                        .set(Target.ADDRESS, host)
                        .set(SCHEME, scheme)
                        .set(HOST, host)
                        .set(PATH, path)
                        .build()));
            }
        }
        return targets;
    }

    /** A rule without http gives the one path "/"; an empty path is "/". */
    private static List<String> paths(IngressRule rule) {
        if (rule.getHttp() == null) {
            return List.of("/");
        }
        List<String> paths = new ArrayList<>();
        for (HTTPIngressPath p : rule.getHttp().getPaths() == null ? List.<HTTPIngressPath>of() : rule.getHttp().getPaths()) {
            paths.add(p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath());
        }
        return paths;
    }

    /** Equal, or a pattern "*.rest" whose dot-separated parts after the first equal the host's (same number of parts). */
    static boolean matchesHostnamePattern(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        String[] patternParts = pattern.split("\\.", -1);
        String[] hostParts = host.split("\\.", -1);
        if (!patternParts[0].equals("*") || patternParts.length != hostParts.length) {
            return false;
        }
        for (int i = 1; i < patternParts.length; i++) {
            if (!patternParts[i].equals(hostParts[i])) {
                return false;
            }
        }
        return true;
    }
}
