package io.caravan.scrape;

import io.caravan.component.RouteHandOff;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Emits one exchange per scrape: the body is the {@code List<Sample>} (samples, staleness markers and
 * report series), headers name the job and instance and carry the body's metric metadata. Runs on the scrape worker that parsed the body.
 */
public class ScrapeConsumer extends DefaultConsumer {

    public static final String HEADER_JOB = "CaravanScrapeJob";
    public static final String HEADER_INSTANCE = "CaravanScrapeInstance";

    private final ScrapeEndpoint endpoint;
    private final ScrapeJob.Sink sink = this::deliver;

    public ScrapeConsumer(ScrapeEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.scrapeJob().attach(sink);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.scrapeJob().detach(sink);
        super.doStop();
    }

    private void deliver(ScrapeTarget target, List<Sample> samples, List<MetricMetadata> metadata) {
        Map<String, Object> headers = new HashMap<>(); // the instance label may be absent (honor_labels)
        headers.put(HEADER_JOB, endpoint.getJob());
        headers.put(HEADER_INSTANCE, target.labels().get("instance"));
        if (!metadata.isEmpty()) {
            headers.put(MetricMetadata.HEADER, metadata);
        }
        RouteHandOff.emit(this, samples, headers, "scrape:" + endpoint.getJob() + " samples of " + target.url()
                + " failed in the route");
    }
}
