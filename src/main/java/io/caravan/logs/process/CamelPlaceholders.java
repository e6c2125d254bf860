package io.caravan.logs.process;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.util.function.UnaryOperator;

/**
 * Placeholders in a stage file's values resolved by Camel's properties component, as the agent's context resolves
 * them ({@code {{NAME}}}, {@code {{NAME:default}}}, {@code {{env:NAME}}}; values from the environment and system
 * properties), for a tool that runs no agent. The context is made on the first value that holds a placeholder and
 * never started: making one costs a good part of a second, which a stage file without placeholders need not pay.
 */
final class CamelPlaceholders implements UnaryOperator<String>, AutoCloseable {

    private CamelContext camel;

    @Override
    public String apply(String text) {
        if (camel == null) {
            camel = new DefaultCamelContext();
        }
        return camel.resolvePropertyPlaceholders(text);
    }

    @Override
    public void close() {
        if (camel == null) {
            return;
        }
        try {
            camel.close();
        } catch (Exception nothingToRelease) {
            // it never started: it holds no thread, file or connection
        }
    }
}
