package io.caravan.logs;

import io.caravan.model.LogEntry;
import io.caravan.model.Target;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's pod_logs and audit_logs sources, written as YAML routes, with the seed's relabel rules. */
class LogSourceRoutesTest {

    @TempDir
    Path dir;

    static Target discovered(String ns, String pod, String uid, String container, String phase) {
        return Target.of("__address__", "10.0.0.7:8080", "__meta_kubernetes_namespace", ns, "__meta_kubernetes_pod_name", pod,
                "__meta_kubernetes_pod_uid", uid, "__meta_kubernetes_pod_container_name", container,
                "__meta_kubernetes_pod_node_name", "node-a", "__meta_kubernetes_pod_phase", phase,
                "__meta_kubernetes_pod_label_app_kubernetes_io_name", "shop-web", "__meta_kubernetes_pod_ip", "10.0.0.7");
    }

    @Test
    void podLogsAndAuditLogRoutesFromYaml() throws Exception {
        Path pods = dir.resolve("pods");
        Path running = Files.createDirectories(pods.resolve("shop_web-1_u-1/web")).resolve("0.log");
        Files.writeString(running, "2024-01-01T00:00:00Z stdout F served\n");
        Path done = Files.createDirectories(pods.resolve("shop_job-1_u-2/job")).resolve("0.log");
        Files.writeString(done, "2024-01-01T00:00:00Z stdout F finished long ago\n");
        Path audit = dir.resolve("audit.log");
        Files.writeString(audit, "{\"verb\":\"get\"}\n");

        BlockingQueue<LogEntry> entries = new LinkedBlockingQueue<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("POD_LOGS_DIR", pods.toString());
            p.setProperty("CARAVAN_DATA_DIR", dir.resolve("data").toString());
            p.setProperty("AUDIT_LOG", audit.toString());
            camel.getPropertiesComponent().setInitialProperties(p);
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    PluginHelper.getResourceLoader(camel).resolveResource("classpath:logs/log-sources.yaml"));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:entries").process(e -> entries.addAll(e.getMessage().getMandatoryBody(List.class)));
                }
            });
            camel.start();
            camel.createProducerTemplate().sendBody("direct:pod-targets",
                    List.of(discovered("shop", "web-1", "u-1", "web", "Running"), discovered("shop", "job-1", "u-2", "job", "Succeeded")));

            List<LogEntry> got = new ArrayList<>();
            while (got.size() < 2) {
                LogEntry e = entries.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("entries so far: %s", got).isNotNull();
                got.add(e);
            }
            assertThat(entries.poll(200, TimeUnit.MILLISECONDS)).isNull(); // the Succeeded pod is not followed
            LogEntry pod = got.stream().filter(e -> e.line().equals("served")).findFirst().orElseThrow();
            // the seed's labels and stream; no filename, which would open a new stream per container incarnation
            assertThat(pod.labels().toMap()).containsOnlyKeys("namespace", "pod", "container", "node", "app", "stream")
                    .containsEntry("app", "shop-web").containsEntry("node", "node-a").containsEntry("pod", "web-1");
            LogEntry auditEntry = got.stream().filter(e -> e.line().startsWith("{")).findFirst().orElseThrow();
            assertThat(auditEntry.labels().toMap()).containsEntry("job", "kube-audit").containsEntry("source", "audit")
                    .containsEntry("filename", audit.toString());
        }
    }
}
