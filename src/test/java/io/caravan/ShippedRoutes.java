package io.caravan;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For tests that read what the shipped pipelines say: every route of the jar's route files as Camel's model holds it,
 * templated routes with their parameters filled in (as the UI and validate see them), placeholders left as written.
 * Nothing is created or started: no endpoint, no component.
 */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    public static List<RouteDefinition> definitions() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("templatedRouteModel", new TemplatedRouteModel());
            camel.build();
            List<Resource> files = new ArrayList<>();
            for (String location : RouteSources.includePattern(Map.of()).split(",")) {
                files.add(PluginHelper.getResourceLoader(camel).resolveResource(location));
            }
            PluginHelper.getRoutesLoader(camel).loadRoutes(files);
            return List.copyOf(((ModelCamelContext) camel).getRouteDefinitions());
        }
    }

    /** A placeholder's default, as the agent with no environment set resolves it ({{NAME:default}} to default). */
    public static String withDefaults(String text) {
        return text.replaceAll("\\{\\{[A-Za-z0-9_.-]+:([^}]*)}}", "$1");
    }
}
