package io.caravan.tap;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.InterceptStrategy;

/**
 * Puts a {@link TapPoint} around every step of every route as Camel builds it (routes a reload or the monitors add
 * later too): the context calls this once per processor, before the route starts. Registered on the CamelContext
 * (camel-spring-boot adds every InterceptStrategy bean) before the routes are built.
 */
public final class TapStrategy implements InterceptStrategy {

    private final Taps taps;

    public TapStrategy(Taps taps) {
        this.taps = taps;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        if (!(definition instanceof ProcessorDefinition<?> node)) {
            return target;
        }
        RouteDefinition route = ProcessorDefinitionHelper.getRoute(node);
        if (route == null || route.getRouteId() == null) {
            return target;
        }
        RouteSteps.Step step = RouteSteps.of(route, context).of(node);
        return step == null ? target : new TapPoint(taps, route.getRouteId(), step.id(), step.position() == 1, target);
    }
}
