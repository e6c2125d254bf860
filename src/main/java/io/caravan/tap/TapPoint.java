package io.caravan.tap;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of one route, watched for taps. While nobody taps (always, but for a few minutes of debugging) it costs
 * one volatile read per exchange and hands on; while a tap watches this step it offers the tap the body going in and,
 * once the step is done, the body coming out (or what it failed with).
 */
final class TapPoint extends DelegateAsyncProcessor {

    private final Taps taps;
    private final String route;
    private final String step;
    private final boolean first;

    TapPoint(Taps taps, String route, String step, boolean first, Processor target) {
        super(target);
        this.taps = taps;
        this.route = route;
        this.step = step;
        this.first = first;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Tap[] open = taps.active(); // the one volatile read
        if (open.length == 0) {
            return processor.process(exchange, callback);
        }
        return tapped(open, exchange, callback);
    }

    private boolean tapped(Tap[] open, Exchange exchange, AsyncCallback callback) {
        List<Tap> after = null;
        for (Tap tap : open) {
            if (!tap.watches(route, step, first)) {
                continue;
            }
            if (tap.showsIn()) {
                tap.offer(tap.inWord(), exchange.getMessage().getBody());
            }
            if (tap.showsOut()) {
                if (after == null) {
                    after = new ArrayList<>(1);
                }
                after.add(tap);
            }
        }
        if (after == null) {
            return processor.process(exchange, callback);
        }
        List<Tap> out = after;
        return processor.process(exchange, doneSync -> {
            Object seen = exchange.getException() != null ? exchange.getException() : exchange.getMessage().getBody();
            out.forEach(tap -> tap.offer("out", seen));
            callback.done(doneSync);
        });
    }

    @Override
    public String toString() {
        return "Tap[" + route + ":" + step + "](" + processor + ")";
    }
}
