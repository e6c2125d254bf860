package io.caravan.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the harness starts goes through here: its output goes to a log file in the run directory,
 * its pid and start time to {@code pids} (so bench/peers.sh's trap can kill it, and only it, if the harness
 * itself dies), and a shutdown hook destroys whatever is still running.
 */
final class Procs implements AutoCloseable {

    private final Path runDir;
    private final List<Process> started = new CopyOnWriteArrayList<>();

    Procs(Path runDir) {
        this.runDir = runDir;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "peers-cleanup"));
    }

    Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        // the JVM flags are on each command line; a JAVA_TOOL_OPTIONS of the caller's shell would change them
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        started.add(p);
        Files.writeString(runDir.resolve("pids"), p.pid() + " " + ProcMeter.startTime(p.pid()) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return p;
    }

    Path log(String name) {
        return runDir.resolve(name + ".log");
    }

    String tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(log(name));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, 15 s to go, then SIGKILL; children too. */
    void stop(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        started.remove(p);
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        started.clear();
    }
}
