package io.caravan.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real agent as a child process ({@code java FLAGS -jar caravan.jar}), and what the harness reads from it:
 * /proc/PID/status (VmRSS, VmHWM), /actuator/metrics (heap) and /actuator/prometheus (its own counters).
 * Each start is a new "incarnation" with its own log file; VmHWM and counters start again at each.
 */
final class AgentProcess implements AutoCloseable {

    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([-0-9.Ee+]+|\"NaN\")");

    private final Path jar;
    private final List<String> jvmFlags;
    private final Map<String, String> env;
    private final Path logDir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int incarnation;

    AgentProcess(Path jar, List<String> jvmFlags, Map<String, String> env, Path logDir, int httpPort) {
        this.jar = jar;
        this.jvmFlags = jvmFlags;
        this.env = env;
        this.logDir = logDir;
        this.httpPort = httpPort;
    }

    synchronized void start() throws IOException {
        incarnation++;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(logFile(incarnation).toFile());
        process = pb.start();
    }

    Path logFile(int n) {
        return logDir.resolve("agent-" + n + ".log");
    }

    synchronized int incarnation() {
        return incarnation;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** Waits for /actuator/health/readiness to answer 200; false at the deadline or if the process ended. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                return false;
            }
            try {
                HttpResponse<String> r = get("/actuator/health/readiness");
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** One look at /actuator/health/readiness. */
    boolean ready() {
        try {
            return get("/actuator/health/readiness").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: the JVM gets no chance to flush anything (Process.destroyForcibly is SIGKILL on Linux). */
    synchronized void kill9() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** How a graceful stop went: how long SIGTERM took to end the process, its exit code, whether SIGKILL was needed. */
    record Stopped(long millis, Integer exitCode, boolean forced) {
    }

    /**
     * SIGTERM (Process.destroy on Linux), waiting for the process to exit: the agent's graceful stop (Spring's
     * shutdown hook: routes stopped, queues flushed, positions committed); SIGKILL after {@code grace}.
     */
    synchronized Stopped stop(Duration grace) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return new Stopped(0, exitCode(), false);
        }
        long start = System.nanoTime();
        process.destroy();
        boolean forced = !process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (forced) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return new Stopped((System.nanoTime() - start) / 1_000_000, process.isAlive() ? null : process.exitValue(), forced);
    }

    /** {VmRSS, VmHWM} in bytes from /proc/PID/status, or null. */
    long[] memory() {
        long pid = pid();
        if (pid < 0) {
            return null;
        }
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new long[]{rss, hwm};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kb(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    /** A Micrometer meter's value from /actuator/metrics/NAME?tag=..., or -1. */
    double meter(String nameAndTags) {
        try {
            HttpResponse<String> r = get("/actuator/metrics/" + nameAndTags);
            if (r.statusCode() != 200) {
                return -1;
            }
            Matcher m = VALUE.matcher(r.body());
            return m.find() && !m.group(1).contains("NaN") ? Double.parseDouble(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Every caravan_* series of /actuator/prometheus with its value, or null when the agent does not answer. */
    Map<String, Double> counters() {
        try {
            HttpResponse<String> r = get("/actuator/prometheus");
            if (r.statusCode() != 200) {
                return null;
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (String line : r.body().split("\n")) {
                if (!line.startsWith("caravan_")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                try {
                    out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                } catch (RuntimeException e) {
                    // a value we do not read
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(3)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
