package io.caravan.logs.tail;

import io.caravan.logs.FollowSettings;
import io.caravan.logs.LabelOption;
import io.caravan.logs.LogSourceEndpoint;
import io.caravan.logs.RotatedNames;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * The options of a tail source, named after Alloy's local.file_match / loki.source.file arguments where they
 * exist; those it shares with pod-logs: (polling, batching, dataDir) are {@link LogSourceEndpoint}'s.
 */
@UriEndpoint(scheme = "tail", title = "Tail files", syntax = "tail:name", consumerOnly = true, category = Category.MONITORING)
public class TailEndpoint extends LogSourceEndpoint {

    @UriParam(description = "The file to follow, or a glob (*, ?, **, {a,b}); files that match later are picked up", label = "consumer")
    private String path;
    @UriParam(defaultValue = "beginning", enums = "beginning,end",
            description = "Where to start a file that has no stored position and exists at start-up; files that appear later start at their beginning")
    private String start = "beginning";
    @UriParam(defaultValue = "1s", description = "How often a glob is expanded again")
    private String scanInterval = "1s";
    @UriParam(description = "Labels of every entry, as name=value pairs separated by commas (filename is added)")
    private String labels = "";
    @UriParam(defaultValue = RotatedNames.DEFAULT, description = "Where rotation puts a file's older content, as globs in "
            + "its directory: <name> is the file's name, <base> the name without its extension, <ext> the extension "
            + "(.log). A file renamed or truncated (copytruncate) before it was read to its end is finished from the "
            + "candidate whose first bytes are the ones read; a .gz is read decompressed")
    private String rotatedNames = RotatedNames.DEFAULT;

    public TailEndpoint(String uri, TailComponent component, String name) {
        super(uri, component, name);
    }

    @Override
    public TailComponent getComponent() {
        return (TailComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(source() + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TailConsumer consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checked when the endpoint is created, so that validate and start-up report bad options with the URI. */
    void validate() {
        if (getName() == null || getName().isBlank()) {
            throw new IllegalArgumentException("tail: a name is required (tail:NAME?path=...)");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(source() + ": the path option is required (a file or a glob)");
        }
        if (!start.equals("beginning") && !start.equals("end")) {
            throw new IllegalArgumentException(source() + ": start must be beginning or end, not '" + start + "'");
        }
        settings();
        scanMillis();
        labelSet();
    }

    FollowSettings settings() {
        return followSettings(checked(() -> RotatedNames.parse(rotatedNames)));
    }

    Labels labelSet() {
        return LabelOption.parse(source(), labels);
    }

    long scanMillis() {
        return Durations.parseMillis(source() + " scanInterval", scanInterval);
    }

    boolean startAtEnd() {
        return "end".equals(start);
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

    public String getScanInterval() {
        return scanInterval;
    }

    public void setScanInterval(String scanInterval) {
        this.scanInterval = scanInterval;
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
}
