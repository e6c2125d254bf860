package io.caravan.scrape;

import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Fetches from an in-process exporter (the bean named by {@code localExporter}, e.g. the built-in node exporter):
 * no socket, but the same timeout and reporting as HTTP. The exporter hands over text format 0.0.4, the one input
 * the appender reads. Handing it the families instead would save only the text round trip, which measured small
 * next to the collectors' own work: {@code NodeExporterBenchmark} (Java 25, one thread, 254 series, 31 KB), on
 * 2 Dec 2026 under a load average of 13-15 on 2 cores, parsed the body back at 1,800-7,400/s (0.14-0.56 ms) against
 * 130-210 full scrapes/s (4.7-7.6 ms): under a tenth of a scrape with the writing, i.e. well under a millisecond
 * every 30 s, not worth a second way into the appender and its cache.
 */
final class LocalFetcher implements Fetcher {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4";

    private final Supplier<byte[]> exporter;
    private final ScheduledExecutorService timer;
    private final Executor workers;

    LocalFetcher(Supplier<byte[]> exporter, ScheduledExecutorService timer, Executor workers) {
        this.exporter = exporter;
        this.timer = timer;
        this.workers = workers;
    }

    @Override
    public void fetch(ScrapeTarget target, BiConsumer<Fetched, Throwable> done) {
        CompletableFuture<Fetched> call = CompletableFuture.supplyAsync(() -> new Fetched(exporter.get(), TEXT_FORMAT), workers);
        ScheduledFuture<?> timeout = timer.schedule(
                () -> call.completeExceptionally(new HttpTimeoutException("scrape timed out")), target.timeoutMs(), TimeUnit.MILLISECONDS);
        call.whenCompleteAsync((fetched, err) -> {
            timeout.cancel(false);
            done.accept(fetched, err);
        }, workers);
    }
}
