package io.caravan.ui;

import io.caravan.cluster.GroupLeadership;
import io.caravan.discovery.DiscoveryStatus;
import io.caravan.discovery.KubernetesDiscoveryComponent;
import io.caravan.model.Labels;
import io.caravan.relabel.RelabelComponent;
import io.caravan.relabel.RelabelProducer;
import io.caravan.relabel.RelabelTrace;
import io.caravan.scrape.ScrapeComponent;
import io.caravan.scrape.ScrapeJob;
import io.caravan.scrape.TargetHealth;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the UI on :12345 is drawn from: the pipeline graph (routes, their endpoints, live counts), the
 * scrape targets, the discovery status and the relabel debugger. Read-only but for the debugger's trace.
 */
@RestController
@RequestMapping("/api/v1")
public class UiApiController {

    private final CamelContext camel;

    public UiApiController(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * Every route as a node: where it reads, where it writes, its exchange counts, and for a master: route whether
     * this agent leads its group (runs it) or stands by.
     */
    @GetMapping("/pipelines")
    public List<Map<String, Object>> pipelines() {
        ModelCamelContext model = (ModelCamelContext) camel;
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        Map<String, GroupLeadership> leadership = new LinkedHashMap<>();
        GroupLeadership.all(camel).forEach(g -> leadership.put(g.group(), g));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", route.getRouteId());
            node.put("status", camel.getRouteController().getRouteStatus(route.getRouteId()).name());
            node.put("from", route.getEndpoint().getEndpointUri());
            List<String> to = new ArrayList<>();
            RouteDefinition rd = model.getRouteDefinition(route.getRouteId());
            if (rd != null) {
                for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(rd.getOutputs(), SendDefinition.class)) {
                    to.add(send.getEndpointUri());
                }
                node.put("source", rd.getResource() != null ? rd.getResource().getLocation() : null);
            }
            node.put("to", to);
            GroupLeadership.group(route).map(leadership::get).ifPresent(g -> node.put("leadership", g.toMap()));
            ManagedRouteMBean mbean = managed == null ? null : managed.getManagedRoute(route.getRouteId());
            if (mbean != null) {
                node.put("exchangesTotal", mbean.getExchangesTotal());
                node.put("exchangesFailed", mbean.getExchangesFailed());
                node.put("exchangesInflight", mbean.getExchangesInflight());
                node.put("lastProcessingMs", mbean.getLastProcessingTime());
            }
            out.add(node);
        }
        return out;
    }

    /** Each scrape job's targets with their last scrape, as Prometheus' and Alloy's target pages show them. */
    @GetMapping("/targets")
    public List<Map<String, Object>> targets() {
        List<Map<String, Object>> out = new ArrayList<>();
        ScrapeComponent scrape = (ScrapeComponent) camel.hasComponent("scrape");
        if (scrape == null) {
            return out;
        }
        for (ScrapeJob job : scrape.jobs()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("job", job.name());
            List<Map<String, Object>> targets = new ArrayList<>();
            for (TargetHealth h : job.targets()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("url", h.target().url().toString());
                t.put("labels", h.target().labels().toMap());
                t.put("state", h.state().name());
                t.put("lastError", h.lastError());
                t.put("lastScrapeMs", h.lastScrapeMs());
                t.put("lastDurationSeconds", h.lastDurationSeconds());
                t.put("lastSamples", h.lastSamples());
                targets.add(t);
            }
            j.put("targets", targets);
            j.put("invalidTargets", job.invalidTargets());
            out.add(j);
        }
        return out;
    }

    @GetMapping("/discovery")
    public List<Map<String, Object>> discovery() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (camel.hasComponent(KubernetesDiscoveryComponent.SCHEME) instanceof KubernetesDiscoveryComponent d) {
            for (DiscoveryStatus s : d.getStatuses()) {
                out.add(s.toMap());
            }
        }
        return out;
    }

    /** The relabel steps and how many discovered targets each last saw. */
    @GetMapping("/relabel")
    public List<Map<String, Object>> relabelSteps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, RelabelProducer> e : relabel().steps().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.getKey());
            m.put("rules", e.getValue().rulesSource());
            m.put("ruleCount", e.getValue().rules().size());
            List<Map<String, String>> inputs = new ArrayList<>();
            e.getValue().lastInput().forEach(l -> inputs.add(l.toMap()));
            m.put("lastInput", inputs);
            out.add(m);
        }
        return out;
    }

    /** Which rule kept, changed or dropped the index-th target the step last saw. */
    @GetMapping("/relabel/{name}/trace")
    public List<Map<String, Object>> trace(@PathVariable String name, @RequestParam int index) {
        RelabelProducer step = step(name);
        List<Labels> input = step.lastInput();
        if (index < 0 || index >= input.size()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "relabel:" + name + " has no target " + index + " (it last saw " + input.size() + ")");
        }
        return render(RelabelTrace.of(step.rules(), input.get(index)));
    }

    /** The same for a label set the operator types in. */
    @PostMapping("/relabel/{name}/trace")
    public List<Map<String, Object>> trace(@PathVariable String name, @RequestBody Map<String, String> labels) {
        return render(RelabelTrace.of(step(name).rules(), Labels.fromMap(labels)));
    }

    private RelabelProducer step(String name) {
        RelabelProducer step = relabel().steps().get(name);
        if (step == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no running relabel step '" + name + "'");
        }
        return step;
    }

    private RelabelComponent relabel() {
        return camel.hasComponent("relabel") instanceof RelabelComponent r ? r : new RelabelComponent();
    }

    private static List<Map<String, Object>> render(List<RelabelTrace.Step> steps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RelabelTrace.Step s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", s.ruleNumber());
            m.put("config", s.rule());
            m.put("outcome", s.outcome().name());
            m.put("before", s.before().toMap());
            m.put("after", s.after() == null ? null : s.after().toMap());
            out.add(m);
        }
        return out;
    }
}
