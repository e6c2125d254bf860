package io.caravan;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code validate [DIR]}: loads every route (the built-in ones and CARAVAN_ROUTES_DIR, or the files of DIR)
 * and every rule file they reference, without starting a pipeline, and reports each error with its file,
 * line and reason. Exit 0 when all is valid, 1 when something is not, 2 on bad usage.
 */
public final class ValidateCommand {

    private ValidateCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            err.println("usage: validate [DIR]   (DIR: a directory of route files; default: the built-in routes and CARAVAN_ROUTES_DIR)");
            return 2;
        }
        List<String> sources = new ArrayList<>();
        try {
            if (args.length == 1) {
                File dir = new File(args[0]);
                File[] files = dir.listFiles((d, n) -> n.endsWith(".yaml") || n.endsWith(".yml"));
                if (files == null) {
                    err.println("validate: " + args[0] + " is not a directory");
                    return 2;
                }
                for (File f : files) {
                    sources.add("file:" + f.getAbsolutePath());
                }
                sources.sort(null);
            } else {
                sources.addAll(List.of(RouteSources.includePattern(env).split(",")));
            }
        } catch (RuntimeException e) {
            err.println("validate: " + e.getMessage());
            return 2;
        }
        int checked = sources.size();
        // DIR's pipelines may instantiate the built-in templates, as they may in CARAVAN_ROUTES_DIR (where an empty
        // templates.yaml switches them off, and the agent's sources say so)
        if (args.length == 1 && sources.stream().noneMatch(RouteSources::isTemplates)) {
            sources.add(RouteSources.BUILT_IN_TEMPLATES);
        }
        List<String> errors = validate(RouteSources.templatesFirst(sources));
        if (errors.isEmpty()) {
            out.println("valid: " + checked + " route file(s)");
            return 0;
        }
        errors.forEach(err::println);
        err.println(errors.size() + " error(s) in " + checked + " route file(s)");
        return 1;
    }

    static List<String> validate(List<String> sources) {
        return validate(sources, null);
    }

    /**
     * The errors of these route files, checked in an agent of their own; with {@code settings}, that agent sees the
     * running agent's settings (a hot reload validates under the same properties the routes will run with).
     */
    static List<String> validate(List<String> sources, org.springframework.core.env.ConfigurableEnvironment settings) {
        return validate(sources, null, settings);
    }

    /**
     * As above, each location read from {@code texts} when given (a hot reload checks the very text it then loads, not
     * the file again, which may have changed meanwhile).
     */
    static List<String> validate(List<String> sources, Map<String, String> texts,
                                 org.springframework.core.env.ConfigurableEnvironment settings) {
        List<String> errors = new ArrayList<>();
        List<RouteDefinition> all = new ArrayList<>();
        java.nio.file.Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("caravan-validate");
        } catch (java.io.IOException e) {
            errors.add("validate: cannot create a temporary directory: " + e.getMessage());
            return errors;
        }
        try (ConfigurableApplicationContext agent = agentWithoutPipelines(scratch, settings)) {
            // The agent's own Camel context: its components, beans (the node exporter, the cluster service, the
            // Kubernetes client), template handling and settings, with no route loaded and none to start. Each file's
            // routes are then created as they load (endpoints resolved, options, rule files and placeholders checked)
            // and their consumers never start, so nothing is scraped or sent. An error is the file's own; a route id
            // two files share is one too, as it would be in the agent.
            CamelContext ctx = agent.getBean(CamelContext.class);
            ModelCamelContext model = (ModelCamelContext) ctx;
            for (String source : sources) {
                int before = model.getRouteDefinitions().size();
                int templatesBefore = model.getRouteTemplateDefinitions().size();
                try {
                    Resource r = texts != null && texts.containsKey(source)
                            ? org.apache.camel.support.ResourceHelper.fromString(source, texts.get(source))
                            : PluginHelper.getResourceLoader(ctx).resolveResource(source);
                    PluginHelper.getRoutesLoader(ctx).loadRoutes(r);
                    if (model.getRouteDefinitions().size() == before && model.getRouteTemplateDefinitions().size() == templatesBefore
                            && !source.startsWith("file:")) {
                        errors.add(source + ": defines no route");
                    }
                } catch (Exception e) {
                    errors.add(describe(source, e));
                }
                all.addAll(model.getRouteDefinitions().subList(before, model.getRouteDefinitions().size()));
            }
        } catch (Exception e) {
            errors.add("validate: " + e.getMessage());
        }
        deleteTree(scratch);
        checkDirectTargets(all, errors);
        return errors;
    }

    /**
     * The agent as {@code run} wires it (CaravanApplication: every component, bean and setting it registers, so one
     * added to the agent is validated too), without the web server, with no route file loaded and nothing started:
     * leader election on a lock file in {@code scratch}, whatever the environment says, so a validate in a pod never
     * joins the agents' election.
     */
    static ConfigurableApplicationContext agentWithoutPipelines(java.nio.file.Path scratch) {
        return agentWithoutPipelines(scratch, null);
    }

    static ConfigurableApplicationContext agentWithoutPipelines(java.nio.file.Path scratch,
                                                                org.springframework.core.env.ConfigurableEnvironment settings) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(CaravanApplication.class);
        if (settings != null) {
            // in the running agent's JVM: its logging stays as it is (Spring would set it up again for this context)
            builder.application().setListeners(builder.application().getListeners().stream()
                    .filter(l -> !(l instanceof org.springframework.boot.context.logging.LoggingApplicationListener)).toList());
            org.springframework.core.env.StandardEnvironment env = new org.springframework.core.env.StandardEnvironment();
            // every source but Spring's view over them all, which the new agent makes afresh
            settings.getPropertySources().stream().filter(ps -> !ps.getName().equals("configurationProperties"))
                    .forEach(env.getPropertySources()::addLast);
            builder.environment(env);
        }
        return builder
                .web(WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF)
                .logStartupInfo(false)
                .run("--camel.main.routes-collector-enabled=false",
                        "--camel.main.auto-startup=false",
                        // a bean is made when a route looks it up: the agent's beans, none of its web, actuator or metrics
                        "--spring.main.lazy-initialization=true",
                        "--camel.main.source-location-enabled=true",
                        // no MBeans for routes that never run
                        "--camel.main.jmx-enabled=false",
                        "--spring.jmx.enabled=false",
                        "--" + io.caravan.cluster.ElectionMode.SETTING + "=file",
                        "--CARAVAN_LEADER_FILE_SHARED=true",
                        "--camel.cluster.file.root=" + scratch.resolve("cluster"),
                        // state of its own: the agent's WAL, spill and positions stay the agent's (a validate in a
                        // running pod, a hot reload's check)
                        "--" + io.caravan.component.CaravanComponent.DATA_DIR_PROPERTY + "=" + scratch.resolve("data"),
                        "--" + ReloadWiring.ENABLED + "=false",
                        // a tool's output is its answer: validate reports Camel's failures itself, one line each
                        "--logging.level.root=WARN",
                        "--logging.level.org.apache.camel=OFF");
    }

    private static void deleteTree(java.nio.file.Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Every `to: direct:X` needs a route `from: direct:X`, or its exchanges fail at run time ("unknown sink"). */
    private static void checkDirectTargets(List<RouteDefinition> routes, List<String> errors) {
        errors.addAll(unknownSinks(routes));
    }

    /** One error per `to: direct:X` that no route reads, with file:line; the agent's start-up checks the same. */
    public static List<String> unknownSinks(List<RouteDefinition> routes) {
        List<String> errors = new ArrayList<>();
        Set<String> consumed = new HashSet<>();
        for (RouteDefinition rd : routes) {
            FromDefinition from = rd.getInput();
            if (from != null && from.getEndpointUri() != null && from.getEndpointUri().startsWith("direct:")) {
                consumed.add(directName(from.getEndpointUri()));
            }
        }
        Map<String, String> missing = new TreeMap<>();
        for (RouteDefinition rd : routes) {
            for (var out : org.apache.camel.model.ProcessorDefinitionHelper.filterTypeInOutputs(rd.getOutputs(), ToDefinition.class)) {
                String uri = out.getEndpointUri();
                if (uri != null && uri.startsWith("direct:") && !consumed.contains(directName(uri))) {
                    missing.put(location(rd, out.getLineNumber()) + ": route " + rd.getRouteId() + " sends to " + uri,
                            " but no route reads it (from: " + uri + "); check the sink name against sinks.yaml");
                }
            }
        }
        missing.forEach((k, v) -> errors.add(k + v));
        return errors;
    }

    private static String directName(String uri) {
        String s = uri.substring("direct:".length());
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    static String location(RouteDefinition rd, int line) {
        String loc = rd.getResource() != null ? rd.getResource().getLocation() : "?";
        if (line <= 0) {
            // a templated route has no lines of its own in its file: the line naming its routeId
            line = rd.getLineNumber() > 0 ? rd.getLineNumber() : rd.getResource() != null ? lineOf(loc, null, rd.getRouteId()) : 0;
        }
        return loc + (line > 0 ? ":" + line : "");
    }

    /**
     * One line per error: file:line, the route, the endpoint and the innermost reason (Camel wraps the cause
     * several times; the operator needs the last word, not the chain).
     */
    static String describe(String source, Throwable e) {
        String routeId = null;
        String uri = null;
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.FailedToCreateRouteException f && routeId == null) {
                routeId = f.getRouteId();
            }
            if (t instanceof org.apache.camel.ResolveEndpointFailedException r && uri == null) {
                uri = r.getUri();
            }
            if (t.getMessage() != null) {
                reason = t.getMessage().strip();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (routeId == null) {
            java.util.regex.Matcher template = MISSING_TEMPLATE.matcher(String.valueOf(e.getMessage()));
            int line = template.find() ? lineOf(source, "routeTemplateRef: " + template.group(1), "") : 0;
            return withPlaceholderHint(source + (line > 0 ? ":" + line : "") + ": " + e.getMessage()
                    + (reason != null && !reason.equals(e.getMessage()) ? "\n    caused by: " + reason : ""));
        }
        if (reason != null && reason.contains(" due to: ")) {
            reason = reason.substring(reason.lastIndexOf(" due to: ") + " due to: ".length());
        }
        reason = withPlaceholderHint(reason);
        int line = lineOf(source, uri != null ? uri.replaceFirst("://", ":").replaceFirst("\\?.*", "") : null, routeId);
        return source + (line > 0 ? ":" + line : "") + ": route " + routeId + (uri != null ? ", endpoint " + uri : "") + ": " + reason;
    }

    /** Camel's word for a templatedRoute naming no loaded template; it does not say which line. */
    private static final java.util.regex.Pattern MISSING_TEMPLATE =
            java.util.regex.Pattern.compile("Cannot find RouteTemplate with id (\\S+)");

    private static final java.util.regex.Pattern MISSING_PROPERTY =
            java.util.regex.Pattern.compile("Property with key \\[([^\\]]+)] not found");

    /** Camel says which placeholder has no value; the operator also needs to hear how to give it one. */
    static String withPlaceholderHint(String reason) {
        java.util.regex.Matcher m = reason == null ? null : MISSING_PROPERTY.matcher(reason);
        if (m == null || !m.find()) {
            return reason;
        }
        String name = m.group(1).startsWith("env:") ? m.group(1).substring(4) : m.group(1);
        return reason + "; set the environment variable " + name + ", or give the placeholder a default: {{" + name + ":default}}";
    }

    /** The line of the failing endpoint in the file, else of the route's id (routeId: of a templatedRoute): Camel does not say where. */
    private static int lineOf(String source, String uriStart, String routeId) {
        try (CamelContext ctx = new DefaultCamelContext();
             var in = PluginHelper.getResourceLoader(ctx).resolveResource(source).getInputStream()) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
            // "id: X" on its own line, or "routeId: X" of a templatedRoute, block or flow style ({..., routeId: X, ...})
            java.util.regex.Pattern id = java.util.regex.Pattern.compile("(^|[\\s{,])(id|routeId):\\s*[\"']?"
                    + java.util.regex.Pattern.quote(routeId) + "[\"']?\\s*([,}]|$)");
            int idLine = -1;
            for (int i = 0; i < lines.length; i++) {
                if (id.matcher(lines[i]).find()) {
                    idLine = i;
                }
            }
            if (uriStart != null) {
                for (int i = Math.max(0, idLine); i < lines.length; i++) {
                    if (lines[i].contains(uriStart)) {
                        return i + 1;
                    }
                }
            }
            return idLine + 1;
        } catch (Exception unreadable) {
            return 0;
        }
    }
}
