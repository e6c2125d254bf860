package io.caravan.component;

import java.util.List;

/** A Camel component whose endpoints hold {@link DebugView}s (the sinks' debug sinks). */
public interface DebugViews {

    List<DebugView> debugViews();
}
