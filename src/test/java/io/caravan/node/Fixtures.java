package io.caravan.node;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** Fixture trees under src/test/resources/node and their expected scrapes. */
final class Fixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00.25Z"), ZoneId.of("Europe/Berlin"));

    private Fixtures() {
    }

    static Path root(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/node/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static NodeExporterConfig.Builder config(String name) {
        Path r = root(name);
        return NodeExporterConfig.builder()
            .procfs(r.resolve("proc").toString())
            .sysfs(r.resolve("sys").toString())
            .udevData(r.resolve("udev").toString())
            .rootfs("/")
            .clock(CLOCK);
    }

    /** A statfs that answers from a table; unknown paths fail as ENOENT does. */
    static Statfs table(Map<String, Statfs.Result> results) {
        return new Statfs() {
            @Override
            public Result statfs(String path) throws IOException {
                Result r = results.get(path);
                if (r == null) {
                    throw new IOException("no such file or directory");
                }
                return r;
            }

            @Override
            public String describe() {
                return "table";
            }
        };
    }

    /** Scrape durations vary from run to run: their values are replaced by 0. */
    static String normalize(String scrape) {
        StringBuilder sb = new StringBuilder(scrape.length());
        for (String line : scrape.split("\n", -1)) {
            if (line.startsWith("node_scrape_collector_duration_seconds{")) {
                line = line.substring(0, line.lastIndexOf(' ')) + " 0";
            }
            sb.append(line).append('\n');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** The expected scrape of a fixture; with -Dnode.fixtures.update=true the file is (re)written instead. */
    static String expected(String name, String file, String actual) throws IOException {
        Path p = Path.of("src/test/resources/node", name, file);
        if (Boolean.getBoolean("node.fixtures.update")) {
            Files.writeString(p, actual, StandardCharsets.UTF_8);
            return actual;
        }
        return Files.readString(root(name).resolve(file), StandardCharsets.UTF_8);
    }
}
