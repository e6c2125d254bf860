package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's two loki.process blocks on realistic input. */
class SeedPipelinesTest {

    static String resource(String name) throws IOException {
        try (InputStream in = SeedPipelinesTest.class.getResourceAsStream("/loki/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<LogEntry> auditEntries() throws IOException {
        List<LogEntry> in = new ArrayList<>();
        long t = 1_700_000_000_000_000_000L;
        for (String line : resource("audit.log").split("\n")) {
            in.add(new LogEntry(Labels.of("job", "kube-audit", "source", "audit", "filename", "/var/log/kube-audit/audit.log"), t++, line));
        }
        return in;
    }

    @Test
    void audit_pipeline_drops_the_noise_and_promotes_fields() throws IOException {
        StageRunner r = new StageRunner(resource("audit-pipeline.yaml"));
        List<LogEntry> in = auditEntries();
        assertThat(in).hasSize(50);
        assertThat(in).anyMatch(e -> e.line().length() > 256 * 1024); // the CRD update with its schema
        List<LogEntry> out = r.pipeline.process(in);

        assertThat(out).isNotEmpty();
        assertThat(out).extracting(e -> e.labels().get("resource")).containsOnly("pods", "configmaps");
        assertThat(out).allMatch(e -> e.line().length() < 256 * 1024);
        long noisy = in.stream().filter(e -> e.line().matches(".*\"resource\":\"(leases|selfsubjectaccessreviews|selfsubjectrulesreviews|customresourcedefinitions)\".*")).count();
        assertThat(out).hasSize(in.size() - (int) noisy);
        assertThat(r.dropped("drop_stage")).isEqualTo(noisy);

        LogEntry first = out.get(0);
        assertThat(first.labels().toMap()).containsEntry("verb", "get").containsEntry("resource", "pods")
                .containsEntry("audit_ns", "default").containsEntry("status_code", "200")
                .containsEntry("user", "system:serviceaccount:kube-system:replicaset-controller")
                .containsEntry("job", "kube-audit").containsKey("audit_level");
        assertThat(first.labels().has("api_group")).as("extracted but not a label").isFalse();
        assertThat(out).extracting(e -> e.labels().get("verb")).containsAnyElementsOf(Set.of("get", "list", "watch", "create", "update", "patch", "delete"));
        assertThat(out).anyMatch(e -> "403".equals(e.labels().get("status_code")));
        assertThat(out).filteredOn(e -> e.labels().get("verb").equals("watch") && e.labels().get("audit_ns") == null).isNotEmpty();
        assertThat(out).extracting(LogEntry::line).allMatch(l -> l.startsWith("{\"kind\":\"Event\""));
    }

    @Test
    void pod_pipeline_labels_the_source_and_drops_blank_lines() throws IOException {
        StageRunner r = new StageRunner(resource("pod-pipeline.yaml"));
        Labels pod = Labels.of("namespace", "shop", "pod", "web-1", "container", "web", "node", "node-a", "app", "web");
        List<LogEntry> out = r.run(new LogEntry(pod, 1, "GET / 200"), new LogEntry(pod, 2, ""), new LogEntry(pod, 3, "   \t"),
                new LogEntry(pod, 4, "shutting down"));
        assertThat(out).extracting(LogEntry::line).containsExactly("GET / 200", "shutting down");
        assertThat(out).allMatch(e -> "kubernetes".equals(e.labels().get("source")) && "web-1".equals(e.labels().get("pod")));
        assertThat(r.dropped("drop_stage")).isEqualTo(2);
    }
}
