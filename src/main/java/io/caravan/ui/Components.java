package io.caravan.ui;

import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.component.DebugViews;
import io.caravan.component.LedgerSource;
import io.caravan.component.SinkLedger;
import io.caravan.component.StatusSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * The UI's one way to the pipeline: the components the CamelContext has created, asked through the
 * component contract ({@link StatusSource}, {@link DebugViews}, {@link LedgerSource}), never through a data-path package. Looks only:
 * a component nobody uses is not created to report on it.
 */
final class Components {

    private final CamelContext camel;

    Components(CamelContext camel) {
        this.camel = camel;
    }

    /** The status of every endpoint of the component with this scheme; empty when it is not in use. */
    List<ComponentStatus> statuses(String scheme) {
        return camel.hasComponent(scheme) instanceof StatusSource s ? s.statuses() : List.of();
    }

    /** The status of every endpoint of every component in use that reports one. */
    List<ComponentStatus> all() {
        List<ComponentStatus> out = new ArrayList<>();
        for (String name : camel.getComponentNames()) {
            if (camel.hasComponent(name) instanceof StatusSource s) {
                out.addAll(s.statuses());
            }
        }
        return out;
    }

    /** The component with this scheme if it is in use and offers the given view of itself. */
    <T> T find(String scheme, Class<T> type) {
        Component c = camel.hasComponent(scheme);
        return type.isInstance(c) ? type.cast(c) : null;
    }

    /** The ledger of every sink that keeps one, of every component in use. */
    List<SinkLedger> ledgers() {
        List<SinkLedger> out = new ArrayList<>();
        for (String name : camel.getComponentNames()) {
            if (camel.hasComponent(name) instanceof LedgerSource l) {
                out.addAll(l.ledgers());
            }
        }
        return out;
    }

    List<DebugView> debugViews() {
        List<DebugView> out = new ArrayList<>();
        for (String name : camel.getComponentNames()) {
            if (camel.hasComponent(name) instanceof DebugViews d) {
                out.addAll(d.debugViews());
            }
        }
        return out;
    }
}
