package io.caravan.logs.events;

import io.caravan.component.RouteHandOff;
import io.caravan.component.ComponentStatus;
import io.caravan.model.LogEntry;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link EventStream} per scope on threads of Camel's executor manager, and writes the cursors to the Lease
 * every cursorLeaseInterval and once more at the stop, after the streams ended: a leader that steps down hands over
 * the exact cursor; one killed hands over the last written (what it delivered after that is sent again by the next
 * leader, as the same entries).
 */
public class KubernetesEventsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventsConsumer.class);

    private final KubernetesEventsEndpoint endpoint;
    private final List<EventStream> streams = new ArrayList<>();
    private EventCursors cursors;
    private ExecutorService threads;
    private ScheduledExecutorService publisher;

    public KubernetesEventsConsumer(KubernetesEventsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        KubernetesEventsComponent component = endpoint.getComponent();
        String identity = getEndpoint().getCamelContext().resolvePropertyPlaceholders("{{POD_NAME:{{HOSTNAME:caravan}}}}");
        cursors = new EventCursors(endpoint.cursorFile(), component.kubernetesClient(), endpoint.getCursorLease(), identity);
        EventLines lines = new EventLines(endpoint.format(), endpoint.getJobName(), endpoint.instanceLabel());
        EventMetrics metrics = new EventMetrics(component.meters(), endpoint.getName());
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        List<String> scopes = endpoint.scopes();
        threads = executors.newFixedThreadPool(this, "k8s-events-" + endpoint.getName(), scopes.size());
        for (String scope : scopes) {
            EventStream s = new EventStream(endpoint.getEndpointUri(), scope, component.kubernetesClient(), cursors, lines,
                    this::deliver, endpoint.getBatchSize(), endpoint.batchWaitMillis(), metrics);
            streams.add(s);
            threads.execute(s);
        }
        if (cursors.handsOverThroughLease()) {
            publisher = executors.newSingleThreadScheduledExecutor(this, "k8s-events-cursor-" + endpoint.getName());
            long every = endpoint.cursorLeaseIntervalMillis();
            publisher.scheduleWithFixedDelay(cursors::publish, every, every, TimeUnit.MILLISECONDS);
        }
        component.register(this);
        LOG.info("{}: {} the cursor {}", endpoint.getEndpointUri(), scopes.equals(List.of("")) ? "all namespaces;" : "namespaces " + scopes + ";",
                cursors.handsOverThroughLease() ? "goes to the Lease " + cursors.lease() : "stays on this agent's disk");
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        streams.forEach(EventStream::stop);
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (threads != null) {
            executors.shutdownGraceful(threads, 10_000);
            threads = null;
        }
        if (publisher != null) {
            executors.shutdownNow(publisher);
            publisher = null;
        }
        if (cursors != null) {
            cursors.publish(); // the exact cursor for the next leader
        }
        streams.clear();
        super.doStop();
    }

    private void deliver(List<LogEntry> batch) throws Exception {
        RouteHandOff.deliver(this, batch, Map.of());
    }

    ComponentStatus status() {
        List<ComponentStatus.Item> items = new ArrayList<>();
        boolean allWatching = !streams.isEmpty();
        String error = cursors == null ? null : cursors.lastError();
        for (EventStream s : streams) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("resourceVersion", cursors.cursor(s.scope()));
            details.put("delivered", s.delivered());
            String scope = s.scope().isEmpty() ? "all namespaces" : s.scope();
            items.add(new ComponentStatus.Item(scope, Map.of("namespace", scope), s.state(), s.lastError(), details));
            allWatching &= "watching".equals(s.state());
            if (s.lastError() != null) {
                error = s.lastError();
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cursorLease", cursors == null || !cursors.handsOverThroughLease() ? "none" : cursors.lease());
        ComponentStatus.Health health = error == null && allWatching ? ComponentStatus.Health.UP : ComponentStatus.Health.UNKNOWN;
        return new ComponentStatus(KubernetesEventsComponent.SCHEME, endpoint.getName(), endpoint.getEndpointUri(), health,
                allWatching ? "watching" : "starting", items, null, error, null, details);
    }
}
