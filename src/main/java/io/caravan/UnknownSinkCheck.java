package io.caravan;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Fails the agent's start-up when a route sends to a {@code direct:} sink no route reads (a typo, or sinks.yaml
 * switched off), as {@code validate} does: otherwise the route starts and every exchange fails later, at 2 AM.
 */
@Component
class UnknownSinkCheck implements CamelContextConfiguration {

    /** Called once the route files are loaded and before any route starts; an exception here stops start-up. */
    @Override
    public void beforeApplicationStart(CamelContext camel) {
        List<String> errors = ValidateCommand.unknownSinks(((ModelCamelContext) camel).getRouteDefinitions());
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the routes send to sinks that do not exist:\n  " + String.join("\n  ", errors));
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing: checked before start
    }
}
