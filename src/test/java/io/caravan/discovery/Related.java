package io.caravan.discovery;

import io.caravan.model.Labels;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The related informers' caches of a role's table test, as plain maps: the services, pods and nodes the test says
 * the cluster holds. Anything else is unknown (null), as an object missing from Prometheus' stores is.
 */
final class Related implements RelatedObjects {

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, Node> nodes = new HashMap<>();

    private Related() {
    }

    /** The caches holding these services, pods and nodes. */
    static Related of(HasMetadata... objects) {
        Related r = new Related();
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            String name = o.getMetadata().getName();
            if (o instanceof Service s) {
                r.services.put(ns + "/" + name, s);
            } else if (o instanceof Pod p) {
                r.pods.put(ns + "/" + name, p);
            } else if (o instanceof Node n) {
                r.nodes.put(name, n);
            } else {
                throw new IllegalArgumentException("not a related kind: " + o.getKind());
            }
        }
        return r;
    }

    @Override
    public Service service(String namespace, String name) {
        return services.get(namespace + "/" + name);
    }

    @Override
    public Pod pod(String namespace, String name) {
        return pods.get(namespace + "/" + name);
    }

    @Override
    public Node node(String name) {
        return nodes.get(name);
    }

    /** Labels sets merged left to right, a later one winning (a target's own labels over its group's). */
    static Labels merged(Labels... parts) {
        Labels.Builder b = Labels.builder();
        for (Labels part : parts) {
            part.forEach(b::set);
        }
        return b.build();
    }

    /** A group's labels overlaid with a target's own (name, value, ...); an empty own value removes the label. */
    static Labels target(Labels group, String... own) {
        Labels.Builder b = group.toBuilder();
        for (int i = 0; i < own.length; i += 2) {
            b.set(own[i], own[i + 1]);
        }
        return b.build();
    }

    /** The targets' label sets in Labels' order: what a table compares, since target order does not matter. */
    static List<Labels> sortedLabels(List<Target> targets) {
        return targets.stream().map(Target::labels).sorted().toList();
    }

    static List<Labels> sorted(List<Labels> labels) {
        return labels.stream().sorted().toList();
    }
}
