package io.caravan.logs.tail;

import io.caravan.logs.DataDir;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.LabelOption;
import io.caravan.logs.RotatedNames;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;

/** The options of a tail source, named after Alloy's local.file_match / loki.source.file arguments where they exist. */
@UriEndpoint(scheme = "tail", title = "Tail files", syntax = "tail:name", consumerOnly = true, category = Category.MONITORING)
public class TailEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the source: names its positions file and its metrics")
    private final String name;
    @UriParam(description = "The file to follow, or a glob (*, ?, **, {a,b}); files that match later are picked up", label = "consumer")
    private String path;
    @UriParam(defaultValue = "beginning", enums = "beginning,end",
            description = "Where to start a file that has no stored position and exists at start-up; files that appear later start at their beginning")
    private String start = "beginning";
    @UriParam(defaultValue = "250ms", description = "How often a file at its end is looked at again")
    private String pollInterval = "250ms";
    @UriParam(defaultValue = "1s", description = "How often a glob is expanded again")
    private String scanInterval = "1s";
    @UriParam(defaultValue = "1s", description = "Pause before a batch the route failed is read again (doubles up to 30s)")
    private String retryInterval = "1s";
    @UriParam(defaultValue = "1048576", description = "Longer lines are cut here (counted); the sink has its own max line size")
    private int maxLineBytes = 1 << 20;
    @UriParam(defaultValue = "1000", description = "Most lines in one exchange")
    private int batchLines = 1000;
    @UriParam(defaultValue = "1048576", description = "Most bytes in one exchange (a batch holds at least one line)")
    private long batchBytes = 1 << 20;
    @UriParam(description = "Labels of every entry, as name=value pairs separated by commas (filename is added)")
    private String labels = "";
    @UriParam(description = "Directory for the positions file; default the component's, else CARAVAN_DATA_DIR, else ./data")
    private String dataDir;
    @UriParam(defaultValue = RotatedNames.DEFAULT, description = "Where rotation puts a file's older content, as globs in "
            + "its directory: <name> is the file's name, <base> the name without its extension, <ext> the extension "
            + "(.log). A file renamed or truncated (copytruncate) before it was read to its end is finished from the "
            + "candidate whose first bytes are the ones read; a .gz is read decompressed")
    private String rotatedNames = RotatedNames.DEFAULT;

    public TailEndpoint(String uri, TailComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public TailComponent getComponent() {
        return (TailComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tail:" + name + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TailConsumer consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checked when the endpoint is created, so that validate and start-up report bad options with the URI. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tail: a name is required (tail:NAME?path=...)");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("tail:" + name + ": the path option is required (a file or a glob)");
        }
        if (!start.equals("beginning") && !start.equals("end")) {
            throw new IllegalArgumentException("tail:" + name + ": start must be beginning or end, not '" + start + "'");
        }
        settings();
        Durations.parseMillis("tail:" + name + " scanInterval", scanInterval);
        labelSet();
    }

    FollowSettings settings() {
        RotatedNames rotated;
        try {
            rotated = RotatedNames.parse(rotatedNames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tail:" + name + ": " + e.getMessage(), e);
        }
        return new FollowSettings(maxLineBytes, batchLines, batchBytes,
                Durations.parseMillis("tail:" + name + " pollInterval", pollInterval),
                Durations.parseMillis("tail:" + name + " retryInterval", retryInterval), rotated);
    }

    Labels labelSet() {
        return LabelOption.parse("tail:" + name, labels);
    }

    Path dataDirectory() {
        return DataDir.resolve(dataDir, getComponent().getDataDir());
    }

    long scanMillis() {
        return Durations.parseMillis("tail:" + name + " scanInterval", scanInterval);
    }

    boolean startAtEnd() {
        return "end".equals(start);
    }

    public String getName() {
        return name;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    public String getScanInterval() {
        return scanInterval;
    }

    public void setScanInterval(String scanInterval) {
        this.scanInterval = scanInterval;
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

    public String getLabels() {
        return labels;
    }

    public void setLabels(String labels) {
        this.labels = labels == null ? "" : labels;
    }

    public String getRotatedNames() {
        return rotatedNames;
    }

    public void setRotatedNames(String rotatedNames) {
        this.rotatedNames = rotatedNames;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
