package io.caravan.logs;

import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A plain Camel context with routes from log-source URIs into one queue of batches, and a hook that runs
 * before a batch is taken (to fail or slow the route). Metrics go to a registry of its own.
 */
public final class LogRoute implements AutoCloseable {

    /** What the route does with a batch before it is taken; may throw (the route fails) or block. */
    public interface Hook {
        void accept(List<LogEntry> batch) throws Exception;
    }

    public final DefaultCamelContext camel = new DefaultCamelContext();
    public final MeterRegistry meters = new SimpleMeterRegistry();
    public final BlockingQueue<List<LogEntry>> batches = new LinkedBlockingQueue<>();
    public volatile Hook hook;

    public LogRoute(String... uris) throws Exception {
        this(null, uris);
    }

    public LogRoute(Hook hook, String... uris) throws Exception {
        this.hook = hook;
        camel.getRegistry().bind("meters", meters);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                int i = 0;
                for (String uri : uris) {
                    from(uri).routeId("r" + i++).process(e -> {
                        @SuppressWarnings("unchecked")
                        List<LogEntry> batch = e.getMessage().getMandatoryBody(List.class);
                        Hook h = LogRoute.this.hook;
                        if (h != null) {
                            h.accept(batch);
                        }
                        batches.add(batch);
                    });
                }
            }
        });
    }

    public LogRoute start() {
        camel.start();
        return this;
    }

    /** Exactly {@code n} entries (more within the wait fail later checks, not this one). */
    public List<LogEntry> entries(int n, Duration timeout) throws InterruptedException {
        List<LogEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            List<LogEntry> b = left <= 0 ? null : batches.poll(left, TimeUnit.NANOSECONDS);
            if (b == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " entries within " + timeout + ": "
                        + out.stream().limit(5).map(LogEntry::line).toList() + "..."
                        + out.stream().skip(Math.max(0, out.size() - 5)).map(LogEntry::line).toList());
            }
            out.addAll(b);
        }
        return out;
    }

    public List<String> lines(int n, Duration timeout) throws InterruptedException {
        return entries(n, timeout).stream().map(LogEntry::line).toList();
    }

    /** Asserts that nothing more arrives for a while. */
    public void quietFor(Duration d) throws InterruptedException {
        List<LogEntry> b = batches.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        if (b != null) {
            throw new AssertionError("expected nothing, got " + b.stream().map(LogEntry::line).toList());
        }
    }

    public double counter(String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        camel.stop();
    }
}
