package io.caravan.tap;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.WhenDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The steps of a route a tap can name, from Camel's model of it: each processor of the route in order (those nested in
 * a multicast, filter or choice branch too), numbered from 1. A step's id is the id the route file gives it, else its
 * endpoint without options ({@code relabel:kubelet} for {@code to: relabel:kubelet?rules=...}), else the processor's
 * name ({@code log}, {@code filter}); a second step of the same id gets {@code #2}. {@value #FROM} is what leaves the
 * route's source. The tap's wrapping ({@link TapStrategy}) and its API both read the ids from here, so they agree.
 */
public final class RouteSteps {

    /** The pseudo-step of what leaves the route's source: what goes into its first step. */
    public static final String FROM = "from";

    /**
     * A step: its id, its position (1 the first step), its processor's name (to, toD, log, multicast...) and what it
     * does (the endpoint URI as the route writes it, or the processor's label), with secrets redacted.
     */
    public record Step(String id, int position, String kind, String uri) {
    }

    /** A step name that names no step of the route, or more than one. */
    public static final class UnknownStep extends Exception {
        UnknownStep(String message) {
            super(message);
        }
    }

    private final String route;
    private final String from;
    private final List<Step> steps = new ArrayList<>();
    private final Map<NamedNode, Step> byNode = new IdentityHashMap<>();

    private RouteSteps(RouteDefinition definition, UnaryOperator<String> placeholders) {
        this.route = definition.getRouteId();
        this.from = definition.getInput() == null ? "" : Redaction.text(definition.getInput().getEndpointUri());
        walk(definition.getOutputs(), placeholders, new HashMap<>());
    }

    /** The steps of a route, its endpoints' property placeholders resolved where they can be (a template's are filled). */
    public static RouteSteps of(RouteDefinition definition, CamelContext camel) {
        return new RouteSteps(definition, uri -> {
            try {
                return camel.resolvePropertyPlaceholders(uri);
            } catch (RuntimeException e) {
                return uri; // resolved when the route starts, or never: the id keeps the placeholder, on both sides
            }
        });
    }

    static RouteSteps of(RouteDefinition definition, UnaryOperator<String> placeholders) {
        return new RouteSteps(definition, placeholders);
    }

    private void walk(List<ProcessorDefinition<?>> outputs, UnaryOperator<String> placeholders, Map<String, Integer> seen) {
        for (ProcessorDefinition<?> node : outputs) {
            if (node.isAbstract()) {
                continue; // onException, intercept...: not on the route's path
            }
            // a choice's when and otherwise are branches: the steps are what they hold
            Object kind = node;
            if (!(kind instanceof WhenDefinition) && !(kind instanceof OtherwiseDefinition)) {
                String uri = uri(node);
                String base = node.hasCustomIdAssigned() ? node.getId()
                        : uri != null ? endpoint(placeholders.apply(uri)) : node.getShortName();
                int n = seen.merge(base, 1, Integer::sum);
                Step step = new Step(n == 1 ? base : base + "#" + n, steps.size() + 1, node.getShortName(),
                        Redaction.text(uri != null ? uri : node.getLabel()));
                steps.add(step);
                byNode.put(node, step);
            }
            walk(node.getOutputs(), placeholders, seen);
        }
    }

    private static String uri(ProcessorDefinition<?> node) {
        if (node instanceof SendDefinition<?> send) {
            return send.getEndpointUri();
        }
        return node instanceof ToDynamicDefinition dynamic ? dynamic.getUri() : null;
    }

    /** scheme:path of an endpoint URI: relabel:kubelet of relabel:kubelet?rules=..., scrape:x of scrape://x. */
    static String endpoint(String uri) {
        int q = uri.indexOf('?');
        String s = q < 0 ? uri : uri.substring(0, q);
        return s.replaceFirst("^([A-Za-z][\\w+.-]*):/{2}", "$1:");
    }

    public String route() {
        return route;
    }

    /** The route's source URI, redacted. */
    public String from() {
        return from;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The step a processor of this route's model is, or null (a when, an onException). */
    Step of(NamedNode node) {
        return byNode.get(node);
    }

    /**
     * The id of the step {@code asked} names: its id, its position, or a scheme or processor name only one step has
     * ({@code relabel} for {@code relabel:kubelet}); {@value #FROM}, empty or null for what leaves the source.
     */
    public String resolve(String asked) throws UnknownStep {
        if (asked == null || asked.isBlank() || asked.equals(FROM)) {
            return FROM;
        }
        for (Step s : steps) {
            if (s.id().equals(asked)) {
                return s.id();
            }
        }
        if (asked.matches("\\d{1,9}")) {
            int position = Integer.parseInt(asked);
            if (position >= 1 && position <= steps.size()) {
                return steps.get(position - 1).id();
            }
        }
        List<Step> named = steps.stream()
                .filter(s -> s.id().startsWith(asked + ":") || s.uri().startsWith(asked + ":") || s.kind().equals(asked)).toList();
        if (named.size() == 1) {
            return named.get(0).id();
        }
        if (named.size() > 1) {
            throw new UnknownStep("'" + asked + "' names " + named.size() + " steps of route '" + route + "': "
                    + named.stream().map(Step::id).collect(Collectors.joining(", ")) + "; give one of their ids");
        }
        throw new UnknownStep("route '" + route + "' has no step '" + asked + "'; its steps: " + ids());
    }

    /** from, then each step's id with its position: "from, relabel:kubelet (1), scrape:kubelet (2)". */
    public String ids() {
        StringBuilder sb = new StringBuilder(FROM);
        steps.forEach(s -> sb.append(", ").append(s.id()).append(" (").append(s.position()).append(')'));
        return sb.toString();
    }
}
