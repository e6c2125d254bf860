package io.caravan.remotewrite;

import io.caravan.model.MetricMetadata;
import io.caravan.sink.PushClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Function;

/**
 * The message a sink sends (Prometheus' remote_write protobuf_message): 1.0's prometheus.WriteRequest, or 2.0's
 * io.prometheus.write.v2.Request until a receiver shows it takes 1.0 only, as the 2.0 spec's backward compatibility
 * has it: a 415 Unsupported Media Type, or a 2xx without the written counts a 2.0 receiver must answer with (a 1.0
 * receiver that ignores the Content-Type reads a 2.0 body as an empty 1.0 request and writes nothing). The sink then
 * sends that request again as 1.0, and 1.0 from then on. One per sink, shared by its shards.
 */
final class WriteProtocol {

    static final String V1 = "prometheus.WriteRequest";
    static final String V2 = "io.prometheus.write.v2.Request";

    /** What a 2.0 request carries beyond the sink's 1.0 headers (Content-Encoding and User-Agent are the same). */
    static final Map<String, String> V2_HEADERS = Map.of(
            "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request",
            "X-Prometheus-Remote-Write-Version", "2.0.0");

    private static final Logger LOG = LoggerFactory.getLogger(WriteProtocol.class);

    private final String sink;
    private final Function<String, MetricMetadata> metadata;
    private volatile boolean v2;

    /** @param metadata a series' family metadata by metric name (2.0 sends it with each series), or null for none */
    WriteProtocol(String sink, String message, Function<String, MetricMetadata> metadata) {
        this.sink = sink;
        if (!message.equals(V1) && !message.equals(V2)) {
            throw new IllegalArgumentException("remote-write:" + sink + " protobufMessage must be " + V1 + " or " + V2 + ", got '" + message + "'");
        }
        this.v2 = message.equals(V2);
        this.metadata = metadata == null ? name -> null : metadata;
    }

    static WriteProtocol v1(String sink) {
        return new WriteProtocol(sink, V1, null);
    }

    boolean v2() {
        return v2;
    }

    MetricMetadata metadata(String metricName) {
        return metadata.apply(metricName);
    }

    /** After a 2.0 request: true (and 1.0 from now on) when its outcome says the receiver takes 1.0 only. */
    boolean fallsBack(PushClient.Outcome outcome) {
        boolean unsupported = outcome.status() == 415;
        boolean silent = outcome.kind() == PushClient.Outcome.Kind.SENT && outcome.written() == null;
        if (!unsupported && !silent) {
            return false;
        }
        if (v2) {
            v2 = false;
            LOG.warn("remote-write {}: the receiver {}; sending remote_write 1.0 from now on (the request goes again as 1.0)", sink,
                    unsupported ? "refused remote_write 2.0 (HTTP 415)" : "answered a 2.0 request without its X-Prometheus-Remote-Write-*-Written counts");
        }
        return true;
    }
}
