package io.caravan.ui;

import io.caravan.cluster.GroupLeadership;
import io.caravan.component.ComponentStatus;
import io.caravan.component.LabelTracing;
import io.caravan.model.Labels;
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
    private final Components components;
    private final QueueTrend queues;

    UiApiController(CamelContext camel, QueueWatch queueWatch) {
        this.camel = camel;
        this.components = new Components(camel);
        this.queues = queueWatch.trend();
    }

    /**
     * Every route as a node: where it reads, where it writes, its exchange counts, its health (UP, or DEGRADED with
     * the reasons: {@link RouteHealth}), and for a master: route whether this agent leads its group (runs it) or stands by.
     */
    @GetMapping("/pipelines")
    public List<Map<String, Object>> pipelines() {
        ModelCamelContext model = (ModelCamelContext) camel;
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        Map<String, GroupLeadership> leadership = new LinkedHashMap<>();
        GroupLeadership.all(camel).forEach(g -> leadership.put(g.group(), g));
        List<Map<String, Object>> out = new ArrayList<>();
        List<RouteHealth.Ends> ends = new ArrayList<>();
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
            ends.add(new RouteHealth.Ends(route.getRouteId(), route.getEndpoint().getEndpointUri(), to));
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
        Map<String, RouteHealth> health = RouteHealth.of(ends, components.all(), queues);
        for (Map<String, Object> node : out) {
            RouteHealth h = health.get((String) node.get("id"));
            node.put("health", h.health());
            node.put("reasons", h.reasons());
        }
        return out;
    }

    /** Each scrape job's targets with their last scrape, as Prometheus' and Alloy's target pages show them. */
    @GetMapping("/targets")
    public List<Map<String, Object>> targets() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComponentStatus job : components.statuses("scrape")) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("job", job.name());
            j.put("jobLabel", job.details().getOrDefault("jobLabel", job.name())); // what the series carry, for the heading
            j.put("health", job.health().name());
            j.put("state", job.state());
            List<Map<String, Object>> targets = new ArrayList<>();
            for (ComponentStatus.Item item : job.items()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("url", item.id());
                t.put("labels", item.labels());
                t.put("state", item.state());
                t.put("lastError", item.lastError());
                t.putAll(item.details());
                targets.add(t);
            }
            j.put("targets", targets);
            j.put("invalidTargets", job.details().getOrDefault("invalidTargets", Map.of()));
            out.add(j);
        }
        return out;
    }

    /** Each discovery consumer: its endpoint, role, sync and watch state, targets and last error. */
    @GetMapping("/discovery")
    public List<Map<String, Object>> discovery() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComponentStatus s : components.statuses("k8s-discovery")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", s.uri());
            m.put("health", s.health().name());
            m.putAll(s.details());
            out.add(m);
        }
        return out;
    }

    /** The relabel steps and what each last saw. */
    @GetMapping("/relabel")
    public List<Map<String, Object>> relabelSteps() {
        List<Map<String, Object>> out = new ArrayList<>();
        LabelTracing tracing = components.find("relabel", LabelTracing.class);
        for (ComponentStatus step : components.statuses("relabel")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", step.name());
            m.put("rules", step.details().get("rules"));
            m.put("ruleCount", step.details().get("ruleCount"));
            List<Map<String, String>> inputs = new ArrayList<>();
            List<Labels> last = tracing == null ? null : tracing.lastInput(step.name());
            if (last != null) {
                last.forEach(l -> inputs.add(l.toMap()));
            }
            m.put("lastInput", inputs);
            out.add(m);
        }
        return out;
    }

    /**
     * Which rule kept, changed or dropped a target the step last saw: the index-th, or the first whose __address__ is
     * {@code target} (what the UI's links name: /#relabel?step=NAME&target=ADDRESS).
     */
    @GetMapping("/relabel/{name}/trace")
    public Map<String, Object> trace(@PathVariable String name, @RequestParam(required = false) Integer index,
                                     @RequestParam(required = false) String target) {
        List<Labels> input = tracing().lastInput(name);
        if (input == null) {
            throw noStep(name);
        }
        if (target != null) {
            Labels found = input.stream().filter(l -> target.equals(l.get("__address__"))).findFirst()
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "relabel:" + name
                            + " has not seen a target with __address__ " + target + " (it last saw " + input.size() + ")"));
            return render(name, found, tracing().trace(name, found));
        }
        if (index == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "give index=N or target=ADDRESS");
        }
        if (index < 0 || index >= input.size()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "relabel:" + name + " has no target " + index + " (it last saw " + input.size() + ")");
        }
        return render(name, input.get(index), tracing().trace(name, input.get(index)));
    }

    /** The same for a label set the operator types in. */
    @PostMapping("/relabel/{name}/trace")
    public Map<String, Object> trace(@PathVariable String name, @RequestBody Map<String, String> labels) {
        Labels input = Labels.fromMap(labels);
        return render(name, input, tracing().trace(name, input));
    }

    private LabelTracing tracing() {
        LabelTracing tracing = components.find("relabel", LabelTracing.class);
        if (tracing == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no relabel step runs");
        }
        return tracing;
    }

    private static ResponseStatusException noStep(String name) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no running relabel step '" + name + "'");
    }

    /**
     * The input once, then each rule with what it changed (added, changed, removed labels), then the outcome: kept with
     * the labels that go on, or dropped by which rule.
     */
    private static Map<String, Object> render(String name, Labels input, List<LabelTracing.Step> steps) {
        if (steps == null) {
            throw noStep(name);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        Integer droppedBy = null;
        Labels output = input;
        for (LabelTracing.Step s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", s.rule());
            m.put("config", s.config());
            m.put("outcome", s.outcome());
            LabelDiff diff = s.after() == null ? LabelDiff.NONE : LabelDiff.between(s.before(), s.after()); // a drop changes no label
            m.put("added", diff.added());
            m.put("changed", diff.changed());
            m.put("removed", diff.removed());
            rules.add(m);
            if (s.after() == null) {
                droppedBy = s.rule();
            } else {
                output = s.after();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", name);
        out.put("input", input.toMap());
        out.put("rules", rules);
        out.put("result", droppedBy == null ? "kept" : "dropped");
        out.put("droppedBy", droppedBy);
        out.put("output", droppedBy == null ? output.toMap() : null);
        return out;
    }
}
