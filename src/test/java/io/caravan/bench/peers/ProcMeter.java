package io.caravan.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the kernel says a process has used: CPU time (utime + stime of every thread, plus cutime + cstime of
 * children it waited for, from /proc/PID/stat, in clock ticks) and memory (VmHWM = peak resident set, VmRSS = resident set now, from /proc/PID/status).
 */
final class ProcMeter {

    /** Clock ticks per second (getconf CLK_TCK); the script passes it, 100 on every Linux this runs on. */
    static final double CLK_TCK = Double.parseDouble(System.getProperty("bench.clkTck", "100"));

    record Reading(long nanoTime, long cpuTicks, long hwmKiB, long rssKiB) {
        double cpuSeconds() {
            return cpuTicks / CLK_TCK;
        }

        double cpuSecondsSince(Reading earlier) {
            return (cpuTicks - earlier.cpuTicks) / CLK_TCK;
        }

        double secondsSince(Reading earlier) {
            return (nanoTime - earlier.nanoTime) / 1e9;
        }
    }

    private ProcMeter() {
    }

    static Reading read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long utime = Long.parseLong(f[11]);   // field 14
            long stime = Long.parseLong(f[12]);   // field 15
            long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);   // cutime, cstime: children waited for
            long hwm = 0;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                }
            }
            return new Reading(System.nanoTime(), utime + stime + children, hwm, rss);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone (" + e.getMessage() + ")", e);
        }
    }

    /**
     * CPU ticks per thread group, user and system apart: each thread's utime and stime from /proc/PID/task/TID/stat,
     * summed by name with digits folded ("C2 CompilerThread0" and "...1" are one group). Threads that ended are not
     * there: for where the CPU went, not for totals.
     */
    static Map<String, long[]> threadTicks(long pid) {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                long[] t = out.computeIfAbsent(name, k -> new long[2]);
                t[0] += Long.parseLong(f[11]);
                t[1] += Long.parseLong(f[12]);
            }
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** The share of the process's CPU between two readings that went to the threads whose name contains part. */
    static double share(Map<String, long[]> before, Map<String, long[]> after, String part) {
        long all = 0;
        long matching = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long ticks = e.getValue()[0] - b[0] + e.getValue()[1] - b[1];
            all += ticks;
            if (e.getKey().contains(part)) {
                matching += ticks;
            }
        }
        return all == 0 ? 0 : (double) matching / all;
    }

    /** The thread groups' CPU between two readings, largest first: "name user+sys s", the top n. */
    static String threadCpu(Map<String, long[]> before, Map<String, long[]> after, int n) {
        return after.entrySet().stream()
                .map(e -> {
                    long[] b = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((x, y) -> Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                .limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.2f+%.2f s", e.getKey(), e.getValue()[0] / CLK_TCK, e.getValue()[1] / CLK_TCK))
                .collect(Collectors.joining(", "));
    }

    /** Field 22 of /proc/PID/stat: start time in ticks after boot; with the pid it names one process for good. */
    static String startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[19];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
