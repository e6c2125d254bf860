package io.caravan.logs;

import io.caravan.model.LogEntry;

import java.util.List;

/** Hands a batch to the route and returns when the route is done; throws when the route failed it. */
@FunctionalInterface
public interface BatchSink {
    void deliver(List<LogEntry> batch) throws Exception;
}
