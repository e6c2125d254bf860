package io.caravan;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A route made from a template ({@code templatedRoute} in a pipeline file, {@code routeTemplate} in templates.yaml)
 * reads in Camel's model as a written route does: its file is the pipeline file, and its endpoint URIs carry the
 * template's parameters filled in. Camel itself fills them only when it creates the route, and drops the file; but the
 * UI's graph, {@code validate} and the unknown-sink check read the model, so they would see {@code scrape:{{name}}}
 * and no file. Property placeholders ({@code {{NODE_NAME:}}}) stay for Camel to resolve, as in a written route.
 * <p>
 * Camel calls it through the registry: a route builder (one per route file) asks for every
 * {@link RouteBuilderLifecycleStrategy} before it adds its templated routes; the model then calls it for each route it
 * adds.
 */
@Component
public class TemplatedRouteModel implements RouteBuilderLifecycleStrategy, ModelLifecycleStrategy {

    /** Parameters whose values name other parameters are filled again, this many times at most. */
    private static final int MAX_NESTING = 5;

    private final Map<String, Resource> fileByRouteId = new ConcurrentHashMap<>();

    @Override
    public void beforeConfigure(RouteBuilder builder) {
        Model model = builder.getContext().getCamelContextExtension().getContextPlugin(Model.class);
        if (!model.getModelLifecycleStrategies().contains(this)) {
            model.addModelLifecycleStrategy(this);
        }
    }

    /** The file of each templated route, known here only: Camel's TemplatedRouteDefinition keeps it, the route does not. */
    @Override
    public void afterConfigure(RouteBuilder builder) {
        for (TemplatedRouteDefinition t : builder.getTemplatedRouteCollection().getTemplatedRoutes()) {
            Resource file = t.getResource() != null ? t.getResource() : builder.getResource();
            if (t.getRouteId() != null && file != null) {
                fileByRouteId.put(t.getRouteId(), file);
            }
        }
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        Map<String, Object> parameters = route.getTemplateParameters();
        if (parameters == null || parameters.isEmpty()) {
            return;
        }
        Resource file = fileByRouteId.remove(route.getRouteId());
        if (file != null) {
            route.setResource(file);
        }
        route.setAutoStartup(fill(route.getAutoStartup(), parameters));
        if (route.getInput() != null) {
            route.getInput().setUri(fill(route.getInput().getUri(), parameters));
        }
        for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class)) {
            send.setUri(fill(send.getUri(), parameters));
            // the line it had is the template's, in another file than the route's now
            send.setLineNumber(-1);
        }
    }

    /** {{name}} of each template parameter replaced by its value; other placeholders left as they are. */
    static String fill(String text, Map<String, Object> parameters) {
        if (text == null) {
            return null;
        }
        String filled = text;
        for (int round = 0; round < MAX_NESTING && filled.contains("{{"); round++) {
            String before = filled;
            for (Map.Entry<String, Object> p : parameters.entrySet()) {
                filled = filled.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
            }
            if (filled.equals(before)) {
                break;
            }
        }
        return filled;
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
        // nothing kept per route once it is added
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
        // templates are used as Camel reads them
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
        // idem
    }
}
