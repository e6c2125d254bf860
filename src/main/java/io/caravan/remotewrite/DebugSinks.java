package io.caravan.remotewrite;

import io.caravan.model.Labels;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The debug sinks of this JVM by name; their components own them as DebugViews. */
// read by ui until it reads debugViews()
public final class DebugSinks {

    private static final Map<String, DebugSink> SINKS = new ConcurrentHashMap<>();

    private DebugSinks() {
    }

    static DebugSink register(String name, Labels externalLabels, int maxSeries) {
        return SINKS.computeIfAbsent(name, n -> new DebugSink(n, externalLabels, maxSeries));
    }

    public static DebugSink get(String name) {
        return SINKS.get(name);
    }

    public static Collection<DebugSink> all() {
        return SINKS.values();
    }
}
