package io.caravan.discovery;

import io.caravan.component.RouteHandOff;
import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;
import io.caravan.model.Target;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Emits the target list once at start, and again whenever the file's content changes. A file that turns
 * bad keeps the last good list running and logs why (bad input never takes good targets down).
 */
public class StaticTargetsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StaticTargetsConsumer.class);

    private final StaticTargetsEndpoint endpoint;
    private ScheduledExecutorService timer;
    private String lastText;
    private volatile int targets;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public StaticTargetsConsumer(StaticTargetsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.getComponent().register(this);
        List<Target> initial = fromUri();
        timer = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "static-targets-" + endpoint.getName());
        if (endpoint.getFile() != null && !endpoint.getFile().isBlank()) {
            lastText = readFile();
            initial.addAll(StaticTargetsFile.parse(lastText, endpoint.getFile())); // bad at start-up: fail loudly
            long every = Durations.parseMillis("refreshInterval", endpoint.getRefreshInterval());
            timer.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
        }
        // Emitted from the timer thread so start-up is not held up by the downstream steps.
        timer.execute(() -> emit(initial));
    }

    /**
     * Withdraws the targets (an empty list) before stopping. A master: endpoint stops only this consumer when
     * the agent loses the lead, not the route: without the empty list the scrape loops downstream would go on,
     * and the old and the new leader would both scrape. With it they stop and their series go stale.
     */
    @Override
    protected void doStop() throws Exception {
        if (timer != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(timer);
            // a refresh still emitting must not land after the withdrawal and bring the targets back
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("static-targets:{}: the refresh did not end within 5s; withdrawing anyway", endpoint.getName());
            }
        }
        // When the whole agent shuts down Camel admits no new exchange, and the scrape producers stop their loops themselves.
        // When a reload replaces the route, the new one's targets take over where these are (no loop stops).
        if (!getEndpoint().getCamelContext().isStopping() && !endpoint.getComponent().replacedByReload(getRouteId())) {
            LOG.info("static-targets:{}: stopping, withdrawing its targets", endpoint.getName());
            emit(new ArrayList<>());
        }
        endpoint.getComponent().unregister(this);
        super.doStop();
    }

    private List<Target> fromUri() {
        List<Target> out = new ArrayList<>();
        Labels common = NameValuePairs.any("static-targets:" + endpoint.getName() + " labels", endpoint.getLabels());
        for (String address : endpoint.getAddresses().split(",")) {
            if (!address.isBlank()) {
                out.add(new Target(common.toBuilder().set(Target.ADDRESS, address.trim()).build()));
            }
        }
        return out;
    }

    private String readFile() throws Exception {
        return CaravanComponent.readResource(getEndpoint().getCamelContext(),
                "static-targets:" + endpoint.getName() + " file", endpoint.getFile());
    }

    private void refresh() {
        try {
            String text = readFile();
            if (text.equals(lastText)) {
                return;
            }
            List<Target> targets = fromUri();
            targets.addAll(StaticTargetsFile.parse(text, endpoint.getFile()));
            lastText = text;
            LOG.info("static-targets:{}: {} changed, now {} targets", endpoint.getName(), endpoint.getFile(), targets.size());
            emit(targets);
            lastError = null;
        } catch (Exception e) {
            lastError = "cannot use " + endpoint.getFile() + " (" + e.getMessage() + "); the previous targets stay";
            lastErrorAt = Instant.now();
            LOG.error("static-targets:{}: cannot use {} ({}); keeping the previous targets", endpoint.getName(), endpoint.getFile(), e.getMessage());
        }
    }

    private void emit(List<Target> targets) {
        this.targets = targets.size();
        RouteHandOff.emit(this, targets, Map.of(), "static-targets:" + endpoint.getName());
    }

    /** UP with its list in use; DEGRADED when the file turned bad and the previous list goes on. */
    ComponentStatus status() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("targets", targets);
        if (endpoint.getFile() != null && !endpoint.getFile().isBlank()) {
            details.put("file", endpoint.getFile());
        }
        String error = lastError;
        return new ComponentStatus(StaticTargetsComponent.SCHEME, endpoint.getName(), endpoint.getEndpointUri(),
                error == null ? ComponentStatus.Health.UP : ComponentStatus.Health.DEGRADED, error == null ? "ok" : "stale",
                List.of(), null, error, error == null ? null : lastErrorAt, details);
    }
}
