package io.caravan.loki;

import io.caravan.model.Durations;
import io.caravan.model.Sizes;
import io.caravan.sink.SinkEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Options of one loki sink: the shared ones of {@link SinkEndpoint} (defaults after Alloy's loki.write) and
 * Loki's own: tenant, batching, the line-size policy, the debug sink. Its older option names stay aliases.
 */
@UriEndpoint(scheme = "loki", title = "Loki push", syntax = "loki:name", producerOnly = true, category = Category.MONITORING)
public class LokiEndpoint extends SinkEndpoint {

    @UriParam(description = "Tenant, sent as X-Scope-OrgID, of entries without a __tenant_id__ label (loki-process's tenant stage sets it)")
    private String tenant;
    @UriParam(defaultValue = "1MiB", description = "Bytes of entries per push request")
    private String batchSize = "1MiB";
    @UriParam(defaultValue = "1s", description = "Longest wait for a batch to fill")
    private String batchWait = "1s";
    @UriParam(defaultValue = "256KB", description = "Longest line sent (Loki's max_line_size default); 0 = no limit")
    private String maxLineSize = "256KB";
    @UriParam(defaultValue = "truncate", enums = "truncate,drop", description = "What to do with a longer line: truncate (with a marker) or drop; both counted")
    private String maxLineSizePolicy = "truncate";
    @UriParam(defaultValue = "64KB", description = "Largest structured metadata of an entry, names and values in UTF-8 bytes "
            + "(Loki's max_structured_metadata_size default); a larger one's entry is dropped and counted, as Loki would; 0 = no limit")
    private String maxStructuredMetadataSize = "64KB";
    @UriParam(defaultValue = "128", description = "Most structured metadata pairs of an entry (Loki's max_structured_metadata_entries_count "
            + "default); an entry with more is dropped and counted, as Loki would; 0 = no limit")
    private int maxStructuredMetadataEntries = 128;
    @UriParam(defaultValue = "1000", description = "Entries the debug sink keeps when no url is set")
    private int debugMaxEntries = 1000;
    @UriParam(defaultValue = "debug", enums = "debug,off",
            description = "What an empty url means: debug = keep the latest entries in the local debug sink; off = this sink is switched off")
    private String whenNoUrl = "debug";

    public LokiEndpoint(String uri, LokiComponent component, String name) {
        super(uri, component, "loki", name, "loki");
        setRemoteTimeout("10s");
        setMinBackoff("500ms");
        setMaxBackoff("30s"); // entries wait on disk: a short one costs a few requests in an outage and gets them moving soon after it
        setFlushTimeout("5s");
        setMaxQueueBytes("512MiB");
    }

    @Override
    public LokiComponent getComponent() {
        return (LokiComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new LokiProducer(this);
    }

    @Override
    protected void checkOptions() {
        super.checkOptions();
        batchBytes();
        batchWaitMs();
        lineSizeBytes();
        LineSizePolicy.parse(maxLineSizePolicy);
        structuredMetadataBytes();
        if (maxStructuredMetadataEntries < 0) {
            throw new IllegalArgumentException("maxStructuredMetadataEntries must be 0 (no limit) or more, got " + maxStructuredMetadataEntries);
        }
        if (maxQueueBytesValue() < 1024 * 1024) {
            throw new IllegalArgumentException("maxQueueBytes (maxSpillBytes) must be at least 1MiB");
        }
    }

    long batchBytes() {
        long batch = Sizes.parse("batchSize", batchSize);
        if (batch < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 byte");
        }
        return batch;
    }

    long batchWaitMs() {
        return Durations.parseMillis("batchWait", batchWait);
    }

    int lineSizeBytes() {
        long v = Sizes.parse("maxLineSize", maxLineSize);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxLineSize out of range");
        }
        if (v > 0 && v < 128) {
            throw new IllegalArgumentException("maxLineSize must be 0 (off) or at least 128 bytes, to leave room for the truncation marker");
        }
        return (int) v;
    }

    long structuredMetadataBytes() {
        long v = Sizes.parse("maxStructuredMetadataSize", maxStructuredMetadataSize);
        if (v < 0) {
            throw new IllegalArgumentException("maxStructuredMetadataSize must be 0 (no limit) or more");
        }
        return v;
    }

    /** A segment small enough that trimming one frees a fair share of the bound. */
    long segmentBytesWithinBound() {
        return Math.max(64 * 1024, Math.min(segmentBytes(), maxQueueBytesValue() / 4));
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(String batchSize) {
        this.batchSize = batchSize;
    }

    public String getBatchWait() {
        return batchWait;
    }

    public void setBatchWait(String batchWait) {
        this.batchWait = batchWait;
    }

    public String getMaxLineSize() {
        return maxLineSize;
    }

    public void setMaxLineSize(String maxLineSize) {
        this.maxLineSize = maxLineSize;
    }

    public String getMaxLineSizePolicy() {
        return maxLineSizePolicy;
    }

    public void setMaxLineSizePolicy(String maxLineSizePolicy) {
        this.maxLineSizePolicy = maxLineSizePolicy;
    }

    public String getMaxStructuredMetadataSize() {
        return maxStructuredMetadataSize;
    }

    public void setMaxStructuredMetadataSize(String maxStructuredMetadataSize) {
        this.maxStructuredMetadataSize = maxStructuredMetadataSize;
    }

    public int getMaxStructuredMetadataEntries() {
        return maxStructuredMetadataEntries;
    }

    public void setMaxStructuredMetadataEntries(int maxStructuredMetadataEntries) {
        this.maxStructuredMetadataEntries = maxStructuredMetadataEntries;
    }

    public int getDebugMaxEntries() {
        return debugMaxEntries;
    }

    public void setDebugMaxEntries(int debugMaxEntries) {
        this.debugMaxEntries = debugMaxEntries;
    }

    public String getWhenNoUrl() {
        return whenNoUrl;
    }

    public void setWhenNoUrl(String whenNoUrl) {
        if (!"debug".equals(whenNoUrl) && !"off".equals(whenNoUrl)) {
            throw new IllegalArgumentException("loki:" + getName() + " whenNoUrl must be debug or off, got '" + whenNoUrl + "'");
        }
        this.whenNoUrl = whenNoUrl;
    }

    /** Old name of queueDir (sinks.yaml sets it). */
    public void setSpillDir(String spillDir) {
        setQueueDir(spillDir);
    }

    /** Old name of maxQueueBytes. */
    public void setMaxSpillBytes(String maxSpillBytes) {
        setMaxQueueBytes(maxSpillBytes);
    }

    /** Old name of remoteTimeout. */
    public void setTimeout(String timeout) {
        setRemoteTimeout(timeout);
    }
}
