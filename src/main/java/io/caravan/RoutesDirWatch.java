package io.caravan;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts a reload when a file changes in the directories the routes come from: CARAVAN_ROUTES_DIR and, when they are
 * {@code file:} locations, CARAVAN_RULES_LOCATION and CARAVAN_STAGES_LOCATION. A ConfigMap update arrives as a burst of
 * events (the kubelet writes a new directory and swaps the {@code ..data} link), so the reload waits for a quiet
 * second. {@code CARAVAN_RELOAD_WATCH=false} turns it off ({@code POST /-/reload} still works).
 */
final class RoutesDirWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesDirWatch.class);
    static final long QUIET_MS = 1_000;

    private final CamelContext camel;
    private final List<Path> dirs;
    private final Runnable reload;
    private WatchService watcher;
    private ExecutorService thread;

    RoutesDirWatch(CamelContext camel, Environment env, Runnable reload) {
        this.camel = camel;
        this.reload = reload;
        this.dirs = env.getProperty("CARAVAN_RELOAD_WATCH", Boolean.class, true) ? watchedDirs(env) : List.of();
    }

    static List<Path> watchedDirs(Environment env) {
        Set<Path> dirs = new LinkedHashSet<>();
        String routes = env.getProperty("CARAVAN_ROUTES_DIR");
        if (routes != null && !routes.isBlank()) {
            dirs.add(Path.of(routes));
        }
        for (String setting : List.of("CARAVAN_RULES_LOCATION", "CARAVAN_STAGES_LOCATION")) {
            String location = env.getProperty(setting, "");
            if (location.startsWith("file:")) {
                dirs.add(Path.of(location.substring("file:".length())));
            }
        }
        List<Path> existing = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                existing.add(d.toAbsolutePath().normalize());
            }
        }
        return existing;
    }

    synchronized void start() {
        if (dirs.isEmpty() || watcher != null) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            for (Path d : dirs) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException e) {
            LOG.warn("reload: cannot watch {} ({}); changes are picked up by POST /-/reload only", dirs, e.getMessage());
            return;
        }
        thread = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "reload-watch");
        thread.submit(this::run);
        LOG.info("reload: watching {} for changed route, rule and stage files", dirs);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watcher.take();
                drain(key);
                // a burst of events is one change: wait for a quiet second
                WatchKey more;
                while ((more = watcher.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("reload after a file change failed: {}", e.getMessage(), e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed with the agent
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public synchronized void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (thread != null) {
            camel.getExecutorServiceManager().shutdownNow(thread);
        }
    }
}
