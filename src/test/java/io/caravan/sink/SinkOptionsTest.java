package io.caravan.sink;

import io.caravan.loki.LokiEndpoint;
import io.caravan.remotewrite.RemoteWriteEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One set of options for both sinks: the shared names, the old names as aliases, one default queue directory rule. */
class SinkOptionsTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void the_old_remote_write_names_set_the_shared_options() {
        RemoteWriteEndpoint e = camel.getEndpoint("remote-write:mimir?url=http://m/api/v1/push&walDir=/var/wal/m"
                + "&maxWalBytes=2GiB&walSegmentSize=8MiB&walSyncInterval=0s", RemoteWriteEndpoint.class);
        assertThat(e.getQueueDir()).isEqualTo("/var/wal/m");
        assertThat(e.queuePath()).isEqualTo(Path.of("/var/wal/m"));
        assertThat(e.maxQueueBytesValue()).isEqualTo(2L << 30);
        assertThat(e.segmentBytes()).isEqualTo(8L << 20);
        assertThat(e.syncIntervalMs()).isZero();
    }

    @Test
    void the_old_loki_names_set_the_shared_options() {
        LokiEndpoint e = camel.getEndpoint("loki:local?url=http://l/loki/api/v1/push&spillDir=/var/spill/l&maxSpillBytes=64MiB&timeout=3s",
                LokiEndpoint.class);
        assertThat(e.queuePath()).isEqualTo(Path.of("/var/spill/l"));
        assertThat(e.maxQueueBytesValue()).isEqualTo(64L << 20);
        assertThat(e.remoteTimeoutMs()).isEqualTo(3_000);
    }

    @Test
    void the_shared_names_work_on_both_and_each_keeps_its_defaults() {
        RemoteWriteEndpoint rw = camel.getEndpoint("remote-write:a?url=https://m/push&queueDir=/q/a&maxQueueBytes=8MiB&remoteTimeout=2s",
                RemoteWriteEndpoint.class);
        LokiEndpoint loki = camel.getEndpoint("loki:b?url=https://l/push&queueDir=/q/b&maxQueueBytes=8MiB&remoteTimeout=2s",
                LokiEndpoint.class);
        for (SinkEndpoint e : new SinkEndpoint[]{rw, loki}) {
            assertThat(e.maxQueueBytesValue()).isEqualTo(8L << 20);
            assertThat(e.remoteTimeoutMs()).isEqualTo(2_000);
        }
        assertThat(rw.queuePath()).isEqualTo(Path.of("/q/a"));
        assertThat(loki.queuePath()).isEqualTo(Path.of("/q/b"));
        RemoteWriteEndpoint rwDefaults = camel.getEndpoint("remote-write:c", RemoteWriteEndpoint.class);
        LokiEndpoint lokiDefaults = camel.getEndpoint("loki:d", LokiEndpoint.class);
        assertThat(rwDefaults.minBackoffMs()).isEqualTo(30);
        assertThat(rwDefaults.maxQueueBytesValue()).isEqualTo(1L << 30);
        assertThat(rwDefaults.flushTimeoutMs()).isEqualTo(10_000);
        assertThat(lokiDefaults.minBackoffMs()).isEqualTo(500);
        assertThat(lokiDefaults.maxQueueBytesValue()).isEqualTo(512L << 20);
        assertThat(lokiDefaults.flushTimeoutMs()).isEqualTo(5_000);
    }

    @Test
    void the_default_queue_is_under_the_data_directory_where_each_sink_kept_it() {
        camel.getPropertiesComponent().addInitialProperty("CARAVAN_DATA_DIR", "/srv/caravan");
        assertThat(camel.getEndpoint("remote-write:mimir", RemoteWriteEndpoint.class).queuePath())
                .isEqualTo(Path.of("/srv/caravan/wal/mimir"));
        assertThat(camel.getEndpoint("loki:loki-local", LokiEndpoint.class).queuePath())
                .isEqualTo(Path.of("/srv/caravan/loki/loki-local"));
    }

    @Test
    void bad_shared_options_name_the_sink_and_the_option() {
        assertThatThrownBy(() -> camel.getEndpoint("remote-write:x?url=ftp://m"))
                .hasStackTraceContaining("remote-write:x url must start with http:// or https://");
        assertThatThrownBy(() -> camel.getEndpoint("remote-write:y?url=http://m&minBackoff=2s&maxBackoff=1s"))
                .hasStackTraceContaining("remote-write:y need 1ms <= minBackoff <= maxBackoff");
        assertThatThrownBy(() -> camel.getEndpoint("loki:z?url=http://l&basicAuthUser=u"))
                .hasStackTraceContaining("loki:z basicAuthUser and basicAuthPasswordFile go together");
        assertThatThrownBy(() -> camel.getEndpoint("remote-write:w?url=http://m&bearerTokenFile=/t&basicAuthUser=u&basicAuthPasswordFile=/p"))
                .hasStackTraceContaining("remote-write:w use either bearerTokenFile or basic auth, not both");
        assertThatThrownBy(() -> camel.getEndpoint("loki:v?url=http://l&maxSpillBytes=10KB"))
                .hasStackTraceContaining("loki:v maxQueueBytes (maxSpillBytes) must be at least 1MiB");
    }
}
