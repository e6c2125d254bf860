package io.caravan.component;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A component's running consumers, for its statuses: each consumer adds itself when it starts and removes itself when
 * it stops; {@link #statuses()} gives one status per consumer, ordered by endpoint URI.
 */
public final class RunningConsumers<C> {

    private final Set<C> running = ConcurrentHashMap.newKeySet();
    private final Function<C, ComponentStatus> status;

    public RunningConsumers(Function<C, ComponentStatus> status) {
        this.status = status;
    }

    public void add(C consumer) {
        running.add(consumer);
    }

    public void remove(C consumer) {
        running.remove(consumer);
    }

    public List<ComponentStatus> statuses() {
        return running.stream().map(status).sorted(Comparator.comparing(ComponentStatus::uri)).toList();
    }
}
