package io.caravan.logs.events;

import io.caravan.logs.BatchSink;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events of one scope (all namespaces, or one), in resourceVersion order: watched from where the last delivery
 * stopped, batched, handed to the route, and the cursor moved only once the route took a batch. A watch the API
 * server can no longer resume (410 Gone: the cursor fell out of its window) is replaced by a list, whose events newer
 * than the cursor are delivered in order before the watch goes on from the list. An event at or before the cursor is
 * never delivered again, whatever a list or a watch replays; one the route refused is retried, never skipped.
 * Runs on its own thread until {@link #stop()}.
 */
final class EventStream implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int INBOX = 10_000;
    private static final long MIN_BACKOFF = 500;
    private static final long MAX_BACKOFF = 30_000;

    /** What ends a watch, put in the inbox after its last event. */
    private record Closed(WatcherException error) {
    }

    private final String owner;
    private final String scope;
    private final KubernetesClient client;
    private final EventCursors cursors;
    private final EventLines lines;
    private final BatchSink sink;
    private final int batchSize;
    private final long batchWaitMillis;
    private final EventMetrics metrics;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile String state = "starting";
    private volatile String lastError;

    EventStream(String owner, String scope, KubernetesClient client, EventCursors cursors, EventLines lines, BatchSink sink,
                int batchSize, long batchWaitMillis, EventMetrics metrics) {
        this.owner = owner;
        this.scope = scope;
        this.client = client;
        this.cursors = cursors;
        this.lines = lines;
        this.sink = sink;
        this.batchSize = batchSize;
        this.batchWaitMillis = batchWaitMillis;
        this.metrics = metrics;
    }

    String scope() {
        return scope;
    }

    String state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    long delivered() {
        return delivered.get();
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        String watchFrom = null;
        boolean resume = true;
        long backoff = MIN_BACKOFF;
        while (running) {
            try {
                if (resume) {
                    String cursor = cursors.resumeFrom(scope);
                    // the first start anywhere: what the API server still holds (an hour by default), as Alloy does
                    watchFrom = cursor != null ? cursor : listAndDeliver(null);
                    resume = false;
                    LOG.info("{}: events {} from resourceVersion {}", owner, describeScope(), watchFrom);
                } else {
                    watchFrom = ResourceVersions.newer(cursors.cursor(scope), watchFrom); // after a failure: from what was delivered
                }
                boolean gone = follow(watchFrom);
                if (gone) {
                    state = "listing";
                    LOG.info("{}: the API server cannot resume the watch on events {} from {} (410 Gone); listing them, and"
                            + " sending those after it", owner, describeScope(), cursors.cursor(scope));
                    watchFrom = listAndDeliver(cursors.cursor(scope));
                }
                backoff = MIN_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                lastError = "events " + describeScope() + ": " + e.getMessage();
                state = "failing";
                metrics.error(e);
                LOG.warn("{}: {}; trying again in {} ms", owner, lastError, backoff);
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF);
            }
        }
    }

    /** Watches from rv until the watch ends: true when it ended with 410 Gone, false for any other end (or a stop). */
    private boolean follow(String rv) throws InterruptedException {
        inbox.clear();
        overflowed.set(false);
        Watch watch;
        try {
            watch = events().watch(new ListOptionsBuilder().withResourceVersion(rv).build(), new Inbox());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 410) {
                return true; // refused at the start: the same as a watch that ends with 410
            }
            throw e;
        }
        state = "watching";
        lastError = null;
        try {
            while (running) {
                Object first = inbox.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                if (first instanceof Closed c) {
                    return closed(c);
                }
                List<Event> batch = new ArrayList<>();
                batch.add((Event) first);
                Closed closedAfter = null;
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(batchWaitMillis);
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    Object next = left <= 0 ? inbox.poll() : inbox.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (next instanceof Closed c) {
                        closedAfter = c;
                        break;
                    }
                    batch.add((Event) next);
                }
                deliver(batch);
                if (closedAfter != null) {
                    return closed(closedAfter);
                }
                if (overflowed.get()) {
                    // the route fell behind the watch: what did not fit is sent again by a watch from the cursor
                    LOG.warn("{}: more than {} events {} waiting for the route; watching again from the last delivered",
                            owner, INBOX, describeScope());
                    return false;
                }
            }
            return false;
        } finally {
            watch.close();
        }
    }

    private boolean closed(Closed c) {
        if (c.error() != null && c.error().isHttpGone()) {
            return true;
        }
        if (c.error() != null) {
            throw new IllegalStateException("the watch ended: " + c.error().getMessage(), c.error());
        }
        return false;
    }

    /** Lists the scope's events and delivers those after cursor, oldest first; returns where a watch goes on from. */
    private String listAndDeliver(String cursor) throws InterruptedException {
        EventList list = events().list();
        List<Event> items = new ArrayList<>(list.getItems());
        items.sort(Comparator.comparing((Event e) -> ResourceVersions.number(rv(e)), Comparator.nullsLast(Comparator.naturalOrder())));
        for (int i = 0; i < items.size() && running; i += batchSize) {
            deliver(items.subList(i, Math.min(items.size(), i + batchSize)));
        }
        String listRv = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
        return ResourceVersions.newer(listRv, cursors.cursor(scope));
    }

    /** Hands the events after the cursor to the route, again and again until it takes them (or the stream stops). */
    private void deliver(List<Event> events) throws InterruptedException {
        String cursor = cursors.cursor(scope);
        String last = cursor;
        List<LogEntry> entries = new ArrayList<>(events.size());
        for (Event e : events) {
            String rv = rv(e);
            if (!ResourceVersions.after(rv, last)) {
                continue; // delivered before: a list or a watch from the cursor replays what the server still holds
            }
            LogEntry entry = lines.entry(e);
            if (entry == null) {
                metrics.skipped("no_involved_object");
            } else {
                entries.add(entry);
            }
            last = ResourceVersions.newer(last, rv);
        }
        long backoff = MIN_BACKOFF;
        while (!entries.isEmpty()) {
            try {
                sink.deliver(entries);
                break;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!running) {
                    return; // not taken: the next leader (or start) sends them
                }
                lastError = "the route refused " + entries.size() + " events " + describeScope() + ": " + e
                        + "; they are sent again, in order, once it takes them";
                LOG.warn("{}: {}", owner, lastError);
                if (!sleep(backoff)) {
                    throw new InterruptedException();
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF);
            }
        }
        delivered.addAndGet(entries.size());
        metrics.delivered(entries.size());
        if (last != null && !last.equals(cursor)) {
            cursors.delivered(scope, last);
        }
    }

    private FilterWatchListDeletable<Event, EventList, ?> events() {
        return scope.isEmpty() ? client.v1().events().inAnyNamespace() : client.v1().events().inNamespace(scope);
    }

    private String describeScope() {
        return scope.isEmpty() ? "in all namespaces" : "in namespace " + scope;
    }

    private static String rv(Event e) {
        return e.getMetadata() == null ? null : e.getMetadata().getResourceVersion();
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** fabric8's watch thread only queues: the stream's thread does the work. */
    private final class Inbox implements Watcher<Event> {
        @Override
        public void eventReceived(Action action, Event event) {
            if (action != Action.ADDED && action != Action.MODIFIED) {
                return; // a deletion is no news (Alloy logs nothing for it); bookmarks carry no event
            }
            if (inbox.size() >= INBOX) {
                overflowed.set(true);
                return;
            }
            inbox.add(event);
        }

        @Override
        public void onClose(WatcherException cause) {
            inbox.add(new Closed(cause));
        }

        @Override
        public void onClose() {
            inbox.add(new Closed(null));
        }
    }
}
