package io.caravan.logs;

import io.caravan.model.Durations;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The options tail: and pod-logs: share: how a follower reads and batches, and where its positions live. A bad
 * option fails with the source's name ({@code pod-logs:pods: ...}), so validate and start-up say which to fix.
 */
public abstract class LogSourceEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the source: names its positions file and its metrics (pod-logs: also joins the "
            + "producer, targets in, and the consumer, entries out)")
    private final String name;
    @UriParam(defaultValue = "250ms", description = "How often a file at its end is looked at again; the pause before an API reconnect")
    private String pollInterval = "250ms";
    @UriParam(defaultValue = "1s", description = "Pause before a batch the route failed is read again, or after an API failure (doubles up to 30s)")
    private String retryInterval = "1s";
    @UriParam(defaultValue = "1048576", description = "Longer lines (joined pieces included) are cut here, counted; the sink has its own max line size")
    private int maxLineBytes = FollowSettings.DEFAULT_MAX_LINE_BYTES;
    @UriParam(defaultValue = "1000", description = "Most lines in one exchange")
    private int batchLines = 1000;
    @UriParam(defaultValue = "1048576", description = "Most bytes in one exchange (a batch holds at least one line)")
    private long batchBytes = 1 << 20;
    @UriParam(description = "Directory for the positions file; default the component's, else CARAVAN_DATA_DIR, else ./data")
    private String dataDir;

    protected LogSourceEndpoint(String uri, LogSourceComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public LogSourceComponent getComponent() {
        return (LogSourceComponent) super.getComponent();
    }

    /** "tail:audit", "pod-logs:pods": how logs, errors and metrics name this source. */
    public String source() {
        return getComponent().scheme() + ":" + name;
    }

    /** The read and batch options; the caller says where rotation puts older content. */
    public FollowSettings followSettings(RotatedNames rotatedNames) {
        String where = source();
        return checked(() -> new FollowSettings(maxLineBytes, batchLines, batchBytes,
                Durations.parseMillis(where + " pollInterval", pollInterval),
                Durations.parseMillis(where + " retryInterval", retryInterval), rotatedNames));
    }

    /** Parses options; a failure that does not name the source yet is prefixed with it. */
    protected <T> T checked(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw message.startsWith(source()) ? e : new IllegalArgumentException(source() + ": " + message, e);
        }
    }

    public Path positionsFile() {
        return getComponent().positionsFile(dataDir, name);
    }

    public String getName() {
        return name;
    }

    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    public String getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(String retryInterval) {
        this.retryInterval = retryInterval;
    }

    public int getMaxLineBytes() {
        return maxLineBytes;
    }

    public void setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public int getBatchLines() {
        return batchLines;
    }

    public void setBatchLines(int batchLines) {
        this.batchLines = batchLines;
    }

    public long getBatchBytes() {
        return batchBytes;
    }

    public void setBatchBytes(long batchBytes) {
        this.batchBytes = batchBytes;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
