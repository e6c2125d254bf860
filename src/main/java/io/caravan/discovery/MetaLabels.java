package io.caravan.discovery;

import io.caravan.model.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.Map;

/**
 * The {@code __meta_kubernetes_*} labels that every role derives from an object's metadata, named as
 * Prometheus names them, so relabel rules written for Prometheus or Alloy work unchanged.
 */
public final class MetaLabels {

    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";
    private static final String PRESENT = "true";

    private MetaLabels() {
    }

    /** {@code <role>_name}, and per label and annotation a value label plus a "present" label. */
    static void addObjectMeta(Labels.Builder b, String role, ObjectMeta meta) {
        if (meta == null) {
            return;
        }
        String rolePrefix = PREFIX + role;
        b.set(rolePrefix + "_name", meta.getName());
        addMap(b, rolePrefix + "_label_", rolePrefix + "_labelpresent_", meta.getLabels());
        addMap(b, rolePrefix + "_annotation_", rolePrefix + "_annotationpresent_", meta.getAnnotations());
    }

    /**
     * attach_metadata's node labels on a pod or endpoint target: {@code __meta_kubernetes_node_name} and the node's
     * labels and annotations, as the node role names them. Nothing when the node is not known (yet).
     */
    static void addNode(Labels.Builder b, Node node) {
        if (node != null) {
            addObjectMeta(b, "node", node.getMetadata());
        }
    }

    /** A port as Go's {@code strconv.FormatUint(uint64(port), 10)} writes an int32 one (0 when absent). */
    static String unsignedPort(Integer port) {
        return port == null ? "0" : Long.toUnsignedString(port.longValue());
    }

    private static void addMap(Labels.Builder b, String valuePrefix, String presentPrefix, Map<String, String> map) {
        if (map == null) {
            return;
        }
        map.forEach((key, value) -> {
            String name = sanitize(key);
            b.set(valuePrefix + name, value);
            // "present" tells an empty value apart from a missing key, since an empty label means absent
            b.set(presentPrefix + name, PRESENT);
        });
    }

    /**
     * Prometheus' {@code strutil.SanitizeLabelName}: every character outside [a-zA-Z0-9_] becomes one '_'.
     * Go's regexp works on code points, so a character outside the BMP also becomes a single '_'. A leading
     * digit is kept: the result is always used after a prefix.
     */
    public static String sanitize(String name) {
        StringBuilder sb = null;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int width = Character.charCount(cp);
            boolean valid = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
            if (!valid && sb == null) {
                sb = new StringBuilder(name.length()).append(name, 0, i);
            }
            if (sb != null) {
                if (valid) {
                    sb.appendCodePoint(cp);
                } else {
                    sb.append('_');
                }
            }
            i += width;
        }
        return sb == null ? name : sb.toString();
    }

    /** Go's {@code net.JoinHostPort}: an IPv6 host goes in brackets. */
    static String joinHostPort(String host, String port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
