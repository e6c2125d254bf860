package io.caravan.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.caravan.model.Labels;
import io.caravan.model.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a target list. Two shapes are accepted, so an operator can paste from either peer:
 * a list of label maps (Alloy's {@code targets = [{ "__address__" = ..., "module" = ... }]}), or Prometheus
 * file_sd groups ({@code - targets: [host:port, ...]\n  labels: {...}}). JSON is YAML, so both work.
 */
public final class StaticTargetsFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StaticTargetsFile() {
    }

    public static List<Target> parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        List<Target> out = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(source + ": expected a list of targets, found " + root.getNodeType());
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            String where = source + " item " + (i + 1);
            if (!item.isObject()) {
                throw new IllegalArgumentException(where + ": expected a map of labels, found " + item.getNodeType());
            }
            if (item.has("targets") && item.get("targets").isArray()) {
                Labels common = labels(item.path("labels"), where + " labels");
                for (JsonNode address : item.get("targets")) {
                    out.add(new Target(common.toBuilder().set(Target.ADDRESS, address.asText()).build()));
                }
            } else {
                Labels l = labels(item, where);
                if (l.get(Target.ADDRESS) == null) {
                    throw new IllegalArgumentException(where + ": has no __address__; every target needs one");
                }
                out.add(new Target(l));
            }
        }
        return out;
    }

    private static Labels labels(JsonNode node, String where) {
        Labels.Builder b = Labels.builder();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Labels.EMPTY;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a map of label names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new IllegalArgumentException(where + ": label '" + e.getKey() + "' must have a plain value");
            }
            b.set(e.getKey(), e.getValue().asText());
        }
        return b.build();
    }
}
