package io.caravan.logs.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caravan.component.StateFiles;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each event stream (all namespaces, or one) resumes: the resourceVersion of the last event the route took,
 * kept in a file under the data directory (fsynced before the rename) and, when a Lease is named, in that Lease's
 * annotations ({@code caravan.io/events-rv.<scope>}), so that the agent elected next resumes where this one stopped.
 * A Lease of its own, not the election's: fabric8 renews the election's Lease with its resourceVersion as a
 * precondition, and a write of ours in between would fail a renewal. Reading takes the newer of the two.
 */
final class EventCursors {

    private static final Logger LOG = LoggerFactory.getLogger(EventCursors.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String ANNOTATION_PREFIX = "caravan.io/events-rv.";

    private final Path file;
    private final KubernetesClient client; // null without a Lease
    private final String leaseNamespace;
    private final String leaseName;
    private final String identity;
    private final Map<String, String> local = new TreeMap<>(); // guarded by this
    private boolean dirty; // guarded by this: local moved since the last write to the Lease
    private final Object publishing = new Object(); // one write to the Lease at a time
    private volatile String lastError;

    /**
     * @param lease "namespace/name", or blank: no handover (one agent, or file election)
     */
    EventCursors(Path file, KubernetesClient client, String lease, String identity) {
        this.file = file;
        String l = lease == null ? "" : lease.trim();
        int slash = l.indexOf('/');
        boolean named = slash > 0 && slash < l.length() - 1;
        this.client = named ? client : null;
        this.leaseNamespace = named ? l.substring(0, slash) : null;
        this.leaseName = named ? l.substring(slash + 1) : null;
        this.identity = identity;
        load();
    }

    boolean handsOverThroughLease() {
        return client != null;
    }

    String lease() {
        return client == null ? null : leaseNamespace + "/" + leaseName;
    }

    /** The newer of this agent's file and the Lease for the scope ("" for all namespaces); null when neither has one. */
    synchronized String resumeFrom(String scope) {
        String fromFile = local.get(scope);
        String fromLease = null;
        if (client != null) {
            try {
                Lease lease = client.leases().inNamespace(leaseNamespace).withName(leaseName).get();
                if (lease != null && lease.getMetadata().getAnnotations() != null) {
                    fromLease = lease.getMetadata().getAnnotations().get(annotation(scope));
                }
                lastError = null;
            } catch (KubernetesClientException e) {
                lastError = "cannot read the Lease " + lease() + " (" + e.getMessage() + "); resuming from this agent's own file";
                LOG.warn("k8s-events: {}", lastError);
            }
        }
        String resumed = ResourceVersions.newer(fromFile, fromLease);
        if (resumed != null) {
            local.put(scope, resumed); // what was delivered before, by this agent or the last leader: not again
        }
        return resumed;
    }

    /** After the route took the events up to rv: the file now, the Lease at the next {@link #publish}. */
    synchronized void delivered(String scope, String rv) {
        local.put(scope, rv);
        dirty = true;
        writeFile();
    }

    /**
     * Writes the cursors to the Lease when they moved since the last write: one merge patch of its annotations (the
     * Lease is created when the patch finds none). One write at a time, each of the cursors as they are when it starts, so a later
     * write never carries older cursors than an earlier one.
     */
    void publish() {
        if (client == null) {
            return;
        }
        synchronized (publishing) {
            Map<String, String> toWrite;
            synchronized (this) {
                if (!dirty) {
                    return;
                }
                toWrite = new TreeMap<>(local);
                dirty = false;
            }
            Map<String, String> annotations = new TreeMap<>();
            toWrite.forEach((scope, rv) -> annotations.put(annotation(scope), rv));
            annotations.put("caravan.io/events-written-by", identity);
            annotations.put("caravan.io/events-written-at", Instant.now().toString());
            try {
                try {
                    client.leases().inNamespace(leaseNamespace).withName(leaseName).patch(PatchContext.of(PatchType.JSON_MERGE),
                            JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations))));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                    // the first write anywhere: the Lease is made with the cursor in it
                    client.resource(new LeaseBuilder().withNewMetadata().withNamespace(leaseNamespace).withName(leaseName)
                            .addToLabels("app.kubernetes.io/component", "k8s-events-cursor").withAnnotations(annotations)
                            .endMetadata().build()).create();
                }
                lastError = null;
            } catch (KubernetesClientException | IOException e) {
                synchronized (this) {
                    dirty = true; // the next write carries them
                }
                String text = "cannot write the cursor to the Lease " + lease() + " (" + e.getMessage()
                        + "); the next leader would resume from an older one and send those events again";
                if (!text.equals(lastError)) {
                    LOG.warn("k8s-events: {}", text);
                }
                lastError = text;
            }
        }
    }

    String lastError() {
        return lastError;
    }

    synchronized String cursor(String scope) {
        return local.get(scope);
    }

    static String annotation(String scope) {
        return ANNOTATION_PREFIX + (scope.isEmpty() ? "all" : "ns-" + scope);
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            local.putAll(JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, String>>() {
            }));
        } catch (IOException | RuntimeException e) {
            LOG.warn("k8s-events: ignoring the cursor file {} ({}): the events resume from the Lease, or from a new list",
                    file, e.toString());
        }
    }

    private void writeFile() {
        try {
            StateFiles.replace(file, JSON.writeValueAsBytes(local), false);
        } catch (IOException e) {
            String text = "cannot write the cursor file " + file + " (" + e + "): a restart would send events again;"
                    + " check that CARAVAN_DATA_DIR is writable and not full";
            if (!text.equals(lastError)) {
                LOG.warn("k8s-events: {}", text);
            }
            lastError = text;
        }
    }
}
