package io.caravan.discovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caravan.component.StateFiles;
import io.caravan.model.Labels;
import io.caravan.model.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target list a node-local discovery emitted last, kept on disk so that an agent started while the API server
 * is away (an RKE2 control-plane node restarting, a network partition) scrapes and tails what it had rather than
 * nothing. One JSON file per endpoint URI under {@code $CARAVAN_DATA_DIR/discovery/}, written whole and moved into
 * place, readable by the agent only (labels carry pod annotations).
 */
final class LastKnownTargets {

    private static final Logger LOG = LoggerFactory.getLogger(LastKnownTargets.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What was saved: when, and the list. */
    record Saved(Instant savedAt, List<Target> targets) {
    }

    private record Stored(String endpoint, String savedAt, List<Map<String, String>> targets) {
    }

    private final Path file;
    private final String endpoint;
    private String lastWriteError; // logged once until it changes or a write succeeds

    LastKnownTargets(Path dataDir, String endpoint) {
        this.file = dataDir.resolve("discovery").resolve(fileName(endpoint));
        this.endpoint = endpoint;
    }

    Path file() {
        return file;
    }

    /** Replaces the saved list; a failure is logged (once per cause) and costs only the next start's fallback. */
    void save(List<Target> targets, Instant at) {
        List<Map<String, String>> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            Map<String, String> labels = new LinkedHashMap<>();
            t.labels().forEach(labels::put);
            out.add(labels);
        }
        try {
            StateFiles.replace(file, JSON.writeValueAsBytes(new Stored(endpoint, at.toString(), out)), true);
            lastWriteError = null;
        } catch (IOException | RuntimeException e) {
            String text = e.toString();
            if (!text.equals(lastWriteError)) {
                LOG.warn("{}: cannot keep the last known targets in {} ({}); a start without the API server will have no"
                        + " targets to fall back on: check that CARAVAN_DATA_DIR is writable and not full", endpoint, file, text);
            }
            lastWriteError = text;
        }
    }

    /** The saved list, or empty when there is none or it cannot be read (then said in the log). */
    Optional<Saved> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Stored stored = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), new TypeReference<Stored>() {
            });
            List<Target> targets = new ArrayList<>();
            for (Map<String, String> labels : stored.targets()) {
                Labels.Builder b = Labels.builder();
                labels.forEach(b::set);
                targets.add(new Target(b.build()));
            }
            return Optional.of(new Saved(Instant.parse(stored.savedAt()), List.copyOf(targets)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: ignoring the last known targets in {}, which cannot be read ({}); it is rewritten once the API"
                    + " server answers", endpoint, file, e.toString());
            return Optional.empty();
        }
    }

    /** The role and a digest of the URI: stable across restarts, distinct per endpoint, safe as a file name. */
    static String fileName(String endpoint) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            String role = endpoint.replaceFirst("^k8s-discovery:/*", "").replaceFirst("[?].*$", "").replaceAll("[^a-z]", "");
            return role + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
