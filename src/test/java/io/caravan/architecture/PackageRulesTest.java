package io.caravan.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms of the house and what each may use (docs/ARCHITECTURE.md draws them): read from the sources, so a
 * new dependency between rooms is a decision made here, not an accident. A room is a package under io.caravan
 * with its subpackages; the root package (the application's wiring) may use every room.
 */
class PackageRulesTest {

    /** Room → the rooms it may use. Everything may use model; nothing may use ui or the root package. */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("wire", Set.of()),
            Map.entry("wal", Set.of("wire")),
            Map.entry("cluster", Set.of()),
            Map.entry("tracing", Set.of()),
            Map.entry("component", Set.of("model")),
            Map.entry("http", Set.of("model")),
            Map.entry("relabel", Set.of("model", "component")),
            Map.entry("discovery", Set.of("model", "component")),
            Map.entry("node", Set.of("model", "component")),
            Map.entry("scrape", Set.of("model", "component", "http", "relabel", "wire")),
            Map.entry("logs", Set.of("model", "component", "wal")),
            Map.entry("sink", Set.of("model", "component", "http", "wire", "wal")),
            Map.entry("loki", Set.of("model", "component", "http", "wire", "wal", "sink")),
            Map.entry("remotewrite", Set.of("model", "component", "http", "wire", "wal", "sink")),
            Map.entry("operator", Set.of("model", "component", "discovery")),
            Map.entry("canary", Set.of("model", "component", "http")),
            Map.entry("tap", Set.of("model")),
            Map.entry("ui", Set.of("model", "component", "cluster", "tap", "http")));

    private static final Path SOURCES = Path.of("src/main/java/io/caravan");
    private static final Pattern USE = Pattern.compile("\\bio\\.caravan\\.([a-z]+)\\.");

    @Test
    void eachRoomUsesOnlyTheRoomsBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> rooms = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = SOURCES.relativize(file);
                if (rel.getNameCount() == 1) {
                    continue; // the root package wires the rooms together
                }
                String room = rel.getName(0).toString();
                rooms.add(room);
                Set<String> allowed = MAY_USE.get(room);
                if (allowed == null) {
                    violations.add(room + ": a room the rules do not know; add it to MAY_USE and docs/ARCHITECTURE.md");
                    continue;
                }
                int lineNo = 0;
                for (String line : Files.readAllLines(file)) {
                    lineNo++;
                    Matcher m = USE.matcher(line);
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(room) && !allowed.contains(used)) {
                            violations.add(rel + ":" + lineNo + ": " + room + " uses " + used);
                        }
                    }
                }
            }
        }
        assertThat(rooms).as("the rules see the rooms").contains("model", "scrape", "ui");
        assertThat(violations).isEmpty();
    }
}
