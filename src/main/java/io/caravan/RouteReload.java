package io.caravan;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ReadsFiles;
import io.caravan.component.ReloadAware;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.EndpointAware;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hot reload of routes, templates and the rule and stage files they read. The new files are validated first, as
 * {@code caravan validate} does, under the running agent's settings; on any error the running configuration stays
 * and the error is kept for the health endpoint and the UI. Otherwise only the route files that changed (their text,
 * a rule or stage file their routes read, or the templates they instantiate) have their routes stopped, removed and
 * loaded again; the others run on undisturbed. State lives outside the routes and carries over: tail and pod-log
 * positions and the sinks' queues on disk, and scrape jobs' loops and series memory ({@link ReloadAware}). Should a
 * load fail even so, the previous files are loaded back.
 */
final class RouteReload {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);

    /** What a reload did. */
    record Result(Outcome outcome, List<String> files, String error) {
    }

    enum Outcome { RELOADED, UNCHANGED, FAILED }

    /**
     * The last reload, for the health endpoint and the UI: its time, outcome and files, the time of the last one that
     * succeeded (or of the start), and how many configurations ran so far.
     */
    record Status(long generation, long lastAttemptMs, Outcome lastOutcome, List<String> lastFiles, String lastError,
                  long lastSuccessMs) {
    }

    private final CamelContext camel;
    private final ConfigurableEnvironment settings;
    private final String initialPattern;
    private RouteFiles current;
    private volatile Status status;
    private final Counter succeeded;
    private final Counter failed;

    RouteReload(CamelContext camel, ConfigurableEnvironment settings, MeterRegistry meters) {
        this.camel = camel;
        this.settings = settings;
        this.initialPattern = settings.getProperty("camel.main.routes-include-pattern", RouteSources.BUILT_IN);
        this.status = new Status(1, 0, null, List.of(), null, System.currentTimeMillis());
        Gauge.builder("caravan_config_last_reload_successful", this, r -> r.status.lastOutcome() == Outcome.FAILED ? 0 : 1)
                .description("1 when the last reload of the routes succeeded (or none was tried), 0 when it failed and the "
                        + "previous configuration still runs").register(meters);
        Gauge.builder("caravan_config_last_reload_success_timestamp_seconds", this, r -> r.status.lastSuccessMs() / 1000.0)
                .description("When the running configuration was loaded").register(meters);
        succeeded = Counter.builder("caravan_config_reloads_total").tag("result", "success")
                .description("Reloads of the routes by result").register(meters);
        failed = Counter.builder("caravan_config_reloads_total").tag("result", "failure").register(meters);
    }

    Status status() {
        return status;
    }

    /** Records the route files the agent loaded, as soon as it loaded them (before the routes start). */
    synchronized void loaded() throws Exception {
        List<String> locations = sources();
        current = new RouteFiles(RouteFiles.read(camel, locations), Map.of());
    }

    /** Records what the running routes read (their endpoints tell once they run). */
    synchronized void running() {
        if (current != null) {
            current = new RouteFiles(current.texts(), readByRoutes(new ArrayList<>(current.texts().keySet())));
        }
    }

    /**
     * Validates the files as they are now and, when they are valid and differ, swaps the routes of those that changed.
     *
     * @param trigger what asked for it ("watch", "http"), for the log
     */
    synchronized Result reload(String trigger) {
        long now = System.currentTimeMillis();
        List<String> locations;
        Map<String, String> next;
        try {
            if (current == null) {
                loaded();
                running();
            }
            locations = sources();
            next = RouteFiles.read(camel, locations);
        } catch (Exception e) {
            return failed(now, List.of(), e.getMessage());
        }
        RouteFiles.Change change = current.changeTo(next, camel);
        if (change.isEmpty()) {
            if (!trigger.equals("start")) {
                LOG.info("reload ({}): no route, rule or stage file changed", trigger);
            }
            return new Result(Outcome.UNCHANGED, List.of(), null);
        }
        List<String> errors = ValidateCommand.validate(locations, next, settings);
        if (!errors.isEmpty()) {
            return failed(now, change.files(), String.join("\n", errors));
        }
        LOG.info("reload ({}): replacing the routes of {}", trigger, change.files());
        List<ReloadAware> aware = reloadAware();
        Set<String> replaced = new HashSet<>();
        change.removed().forEach(l -> replaced.addAll(routeIdsOf(l)));
        change.changed().forEach(l -> replaced.addAll(routeIdsOf(l)));
        aware.forEach(a -> a.beginReload(replaced));
        try {
            swap(change, next);
            current = new RouteFiles(next, readByRoutes(locations));
        } catch (Exception e) {
            LOG.error("reload ({}): loading the new routes failed ({}); the previous ones are loaded back", trigger, e.getMessage());
            String restored = restore(change);
            return failed(now, change.files(), e.getMessage() + (restored == null ? "" : "; restoring failed too: " + restored));
        } finally {
            aware.forEach(ReloadAware::endReload);
        }
        succeeded.increment();
        status = new Status(status.generation() + 1, now, Outcome.RELOADED, change.files(), null, now);
        LOG.info("reload ({}): configuration {} runs ({} file(s) replaced)", trigger, status.generation(), change.files().size());
        return new Result(Outcome.RELOADED, change.files(), null);
    }

    private Result failed(long now, List<String> files, String error) {
        failed.increment();
        Status s = status;
        status = new Status(s.generation(), now, Outcome.FAILED, files, error, s.lastSuccessMs());
        LOG.error("reload failed; configuration {} keeps running:\n{}", s.generation(), error);
        return new Result(Outcome.FAILED, files, error);
    }

    /** The route files wanted now: CARAVAN_ROUTES_DIR listed again (a file may have come or gone), else those started with. */
    private List<String> sources() {
        String dir = settings.getProperty("CARAVAN_ROUTES_DIR");
        String pattern = dir == null || dir.isBlank() ? initialPattern : RouteSources.includePattern(Map.of("CARAVAN_ROUTES_DIR", dir));
        List<String> locations = new ArrayList<>();
        for (String l : pattern.split(",")) {
            if (!l.isBlank()) {
                locations.addAll(expand(l.strip()));
            }
        }
        return RouteSources.templatesFirst(locations);
    }

    /**
     * A location, or each file a wildcard one names (application.yaml's default, {@code classpath:routes/*.yaml}), as
     * Camel names the files it loaded from it: the wildcard's directory and the file's name.
     */
    static List<String> expand(String location) {
        int star = location.indexOf('*');
        if (star < 0) {
            return List.of(location);
        }
        String dir = location.substring(0, location.lastIndexOf('/', star) + 1);
        List<String> files = new ArrayList<>();
        try {
            for (org.springframework.core.io.Resource r : new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                    .getResources(location)) {
                files.add(dir + r.getFilename());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(location + ": cannot be listed (" + e.getMessage() + ")", e);
        }
        files.sort(null);
        return files;
    }

    /** Stops and removes the routes of the removed and changed files, then loads the changed and added ones. */
    private void swap(RouteFiles.Change change, Map<String, String> next) throws Exception {
        List<String> out = new ArrayList<>(change.removed());
        out.addAll(change.changed());
        for (String location : out) {
            removeRoutesOf(location);
        }
        ModelCamelContext model = (ModelCamelContext) camel;
        if (change.templatesChanged()) {
            model.removeRouteTemplateDefinitions("*");
            for (String location : next.keySet()) {
                if (RouteSources.isTemplates(location)) {
                    load(location, next.get(location));
                }
            }
        }
        for (String location : next.keySet()) {
            if (change.added().contains(location) || change.changed().contains(location)) {
                load(location, next.get(location));
            }
        }
    }

    /** Puts the previous files back after a failed swap; null when that worked, else why not. */
    private String restore(RouteFiles.Change change) {
        try {
            List<String> all = new ArrayList<>(change.added());
            all.addAll(change.changed());
            for (String location : all) {
                removeRoutesOf(location);
            }
            Map<String, String> before = current.texts();
            if (change.templatesChanged()) {
                ((ModelCamelContext) camel).removeRouteTemplateDefinitions("*");
                for (Map.Entry<String, String> e : before.entrySet()) {
                    if (RouteSources.isTemplates(e.getKey())) {
                        load(e.getKey(), e.getValue());
                    }
                }
            }
            for (Map.Entry<String, String> e : before.entrySet()) {
                if (change.changed().contains(e.getKey()) || change.removed().contains(e.getKey())) {
                    load(e.getKey(), e.getValue());
                }
            }
            return null;
        } catch (Exception e) {
            LOG.error("reload: the previous routes could not all be loaded back: {}", e.getMessage());
            return e.getMessage();
        }
    }

    private void removeRoutesOf(String location) throws Exception {
        for (String id : routeIdsOf(location)) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
        }
    }

    /** Loads one file's routes from the text read (not the file again: it may have changed since it was validated). */
    private void load(String location, String text) throws Exception {
        Resource resource = ResourceHelper.fromString(location, text);
        PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
    }

    private List<String> routeIdsOf(String location) {
        List<String> ids = new ArrayList<>();
        for (RouteDefinition rd : ((ModelCamelContext) camel).getRouteDefinitions()) {
            if (rd.getResource() != null && location.equals(rd.getResource().getLocation())) {
                ids.add(rd.getRouteId());
            }
        }
        return ids;
    }

    /** For each route file, the rule and stage files its running routes read, with their text now. */
    private Map<String, Map<String, String>> readByRoutes(List<String> locations) {
        Map<String, Map<String, String>> read = new LinkedHashMap<>();
        for (String location : locations) {
            Map<String, String> files = new LinkedHashMap<>();
            for (String id : routeIdsOf(location)) {
                Route route = camel.getRoute(id);
                if (route == null) {
                    continue;
                }
                for (Endpoint e : endpointsOf(route)) {
                    if (e instanceof ReadsFiles r) {
                        for (String file : r.files()) {
                            try {
                                files.put(file, CaravanComponent.readResourceVerbatim(camel, "reload", file));
                            } catch (Exception unreadable) {
                                files.put(file, null); // read again at the next reload: any text differs
                            }
                        }
                    }
                }
            }
            read.put(location, files);
        }
        return read;
    }

    private static Set<Endpoint> endpointsOf(Route route) {
        Set<Endpoint> endpoints = new HashSet<>();
        endpoints.add(route.getEndpoint());
        walk(route.navigate(), endpoints);
        return endpoints;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Navigate<Processor> nav, Set<Endpoint> into) {
        if (nav == null || !nav.hasNext()) {
            return;
        }
        for (Processor p : nav.next()) {
            if (p instanceof EndpointAware aware && aware.getEndpoint() != null) {
                into.add(aware.getEndpoint());
            }
            if (p instanceof Navigate<?> inner) {
                walk((Navigate<Processor>) inner, into);
            }
        }
    }

    private List<ReloadAware> reloadAware() {
        List<ReloadAware> aware = new ArrayList<>();
        for (String name : camel.getComponentNames()) {
            if (camel.hasComponent(name) instanceof ReloadAware r) {
                aware.add(r);
            }
        }
        return aware;
    }
}
