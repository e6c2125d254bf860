package io.caravan.component;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;

import java.util.Map;

/**
 * How a Caravan source hands a body to its route, in one place: a pooled exchange, the body and headers, the route run
 * in the calling thread, the exchange released. Two endings: {@link #emit} gives a failure to the consumer's exception
 * handler (a target list, samples: the next one replaces it); {@link #deliver} throws it, for a source that must not
 * move its position past what the route refused (log lines, events).
 */
public final class RouteHandOff {

    private RouteHandOff() {
    }

    /** Runs the route on body; a failure goes to the consumer's exception handler, {@code what} saying whose it was. */
    public static void emit(DefaultConsumer consumer, Object body, Map<String, Object> headers, String what) {
        Exchange exchange = consumer.createExchange(false);
        try {
            fill(exchange, body, headers);
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException(what, exchange, exchange.getException());
            }
            consumer.releaseExchange(exchange, false);
        }
    }

    /** Runs the route on body and throws what it failed with: the caller keeps its position and tries again. */
    public static void deliver(DefaultConsumer consumer, Object body, Map<String, Object> headers) throws Exception {
        Exchange exchange = consumer.createExchange(false);
        try {
            fill(exchange, body, headers);
            consumer.getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    private static void fill(Exchange exchange, Object body, Map<String, Object> headers) {
        exchange.getMessage().setBody(body);
        headers.forEach(exchange.getMessage()::setHeader);
    }
}
