package io.caravan.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.Map;

/**
 * The mock server's CRUD dispatcher, plus field selectors on the scalar fields under {@code spec.} and
 * {@code status.} (like {@code spec.nodeName=node-a}) for LIST and WATCH.
 * <p>
 * Why this is needed (fabric8 7.4.0, read from its bytecode): the dispatcher filters by matching the request's
 * attributes (path, labels, field selector terms) against attributes that {@link KubernetesAttributesExtractor}
 * takes from each stored object, and that extractor only takes name, namespace, labels, api/version and plural.
 * A {@code spec.nodeName} term therefore matches nothing: LISTs come back empty and WATCH listeners never fire.
 * The dispatcher creates its extractor itself and keeps it in two final fields, so this subclass swaps in an
 * extractor that also indexes spec/status scalars; everything else (watch event routing included) is stock.
 */
public class FieldSelectingCrudDispatcher extends KubernetesCrudDispatcher {

    public FieldSelectingCrudDispatcher() {
        FieldIndexingExtractor extractor = new FieldIndexingExtractor();
        Object crdProcessor = read(KubernetesCrudDispatcher.class, "crdProcessor");
        extractor.setCustomResourceDefinitionProcessor(
                (io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor) crdProcessor);
        write(CrudDispatcher.class, "attributeExtractor", extractor);
        write(KubernetesCrudDispatcher.class, "kubernetesAttributesExtractor", extractor);
    }

    private Object read(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8 mock server changed: no field " + owner.getSimpleName() + "." + name, e);
        }
    }

    private void write(Class<?> owner, String name, Object value) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            f.set(this, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8 mock server changed: no field " + owner.getSimpleName() + "." + name, e);
        }
    }

    static final class FieldIndexingExtractor extends KubernetesAttributesExtractor {
        @Override
        public AttributeSet extract(HasMetadata resource) {
            AttributeSet attributes = super.extract(resource);
            JsonNode tree = Serialization.jsonMapper().valueToTree(resource);
            for (String root : new String[] {"spec", "status"}) {
                attributes = addScalars(attributes, root, tree.get(root));
            }
            return attributes;
        }

        private static AttributeSet addScalars(AttributeSet attributes, String path, JsonNode node) {
            if (node == null || node.isNull() || node.isArray()) {
                return attributes; // the API server has no field selectors into lists either
            }
            if (node.isValueNode()) {
                return attributes.add(new Attribute(path, node.asText()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                attributes = addScalars(attributes, path + "." + e.getKey(), e.getValue());
            }
            return attributes;
        }
    }
}
