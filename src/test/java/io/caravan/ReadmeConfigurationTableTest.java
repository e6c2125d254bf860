package io.caravan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's configuration table names every environment variable the agent reads, and no other: the placeholders of
 * the shipped routes, rules, stages and target lists ({{NAME:default}}), of application.yaml (${NAME:default}), the
 * ones in Java strings, and what Java reads from the environment directly. Where the table gives a default as one
 * literal (`30s`), it is the placeholder's.
 */
class ReadmeConfigurationTableTest {

    private static final Path README = Path.of("README.md");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Path JAVA = Path.of("src/main/java");
    private static final String NAME = "[A-Z][A-Z0-9_]*";

    /**
     * In the table, but read by a library rather than by a placeholder or Caravan's code: fabric8 (the API server),
     * the OpenTelemetry SDK, and Spring's relaxed binding of application.yaml's camel.cluster.file.root.
     */
    private static final Set<String> READ_BY_LIBRARIES = Set.of("KUBERNETES_MASTER", "OTEL_TRACES_SAMPLER_ARG",
            "OTEL_RESOURCE_ATTRIBUTES", "CAMEL_CLUSTER_FILE_ROOT");

    private static final Pattern PLACEHOLDER = Pattern.compile("(\\{\\{|\\$\\{)(" + NAME + ")(:|}})?");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern ENV_READ = Pattern.compile(
            "(?:System\\.getenv\\(\\)|\\benv)\\s*\\.\\s*(?:get|getOrDefault|getProperty)\\(\\s*\"(" + NAME + ")\"");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"(" + NAME + ")\"\\s*\\)");
    private static final Pattern ENV_READ_OF_CONSTANT = Pattern.compile(
            "\\benv\\s*\\.\\s*(?:get|getOrDefault|getProperty)\\(\\s*(" + NAME + ")\\s*[,)]");

    /** A table row: its variables, and per variable the literal default it documents (absent when prose). */
    record Row(List<String> names, Map<String, String> literalDefaults) {
    }

    @Test
    void everyVariableTheAgentReadsIsInTheTableAndNoOther() throws IOException {
        Map<String, Set<String>> read = readVariables();
        Set<String> documented = new TreeSet<>();
        table().forEach(r -> documented.addAll(r.names()));

        Set<String> missing = new TreeSet<>(read.keySet());
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(read.keySet());
        extra.removeAll(READ_BY_LIBRARIES);
        assertThat(read).as("the scan finds the routes' variables").containsKeys("MIMIR_WRITE_URL", "POD_LOGS_DIR", "CARAVAN_HTTP_PORT",
                "CARAVAN_NODE_PROCFS", "CARAVAN_LEADER_ELECTION", "BLACKBOX_EXPORTER_ADDRESS");
        assertThat(missing).as("read by the agent but not in README's configuration table").isEmpty();
        assertThat(extra).as("in README's configuration table but read nowhere").isEmpty();
        assertThat(documented).as("the variables libraries read are documented too").containsAll(READ_BY_LIBRARIES);
    }

    @Test
    void aDefaultTheTableGivesIsThePlaceholdersDefault() throws IOException {
        Map<String, Set<String>> read = readVariables();
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (Row row : table()) {
            for (Map.Entry<String, String> d : row.literalDefaults().entrySet()) {
                Set<String> defaults = read.getOrDefault(d.getKey(), Set.of());
                if (defaults.isEmpty()) {
                    continue; // read by Java code, whose default the placeholder scan does not see
                }
                compared++;
                if (!defaults.equals(Set.of(d.getValue()))) {
                    wrong.add(d.getKey() + ": README says `" + d.getValue() + "`, the placeholders say " + defaults);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(compared).as("defaults compared (the table gives most as literals)").isGreaterThan(30);
    }

    @Test
    void placeholdersAreReadWithTheirDefaultsNestedOnesToo() {
        Map<String, Set<String>> found = new TreeMap<>();
        placeholders("cursorLease: \"{{POD_NAMESPACE:}}/x\" ns: ${POD_NAMESPACE:${KUBERNETES_NAMESPACE:default}} "
                + "{{POD_NAME:{{HOSTNAME:caravan}}}} {{name}} {{caravan.scrape.auth}} {{ .Value }} {{NODE_NAME}}", found);
        assertThat(found).isEqualTo(Map.of(
                "POD_NAMESPACE", Set.of("", "${KUBERNETES_NAMESPACE:default}"),
                "KUBERNETES_NAMESPACE", Set.of("default"),
                "POD_NAME", Set.of("{{HOSTNAME:caravan}}"),
                "HOSTNAME", Set.of("caravan"),
                "NODE_NAME", Set.of()));
    }

    /** Every variable read, with the defaults its placeholders give (empty when none gives one). */
    static Map<String, Set<String>> readVariables() throws IOException {
        Map<String, Set<String>> read = new TreeMap<>();
        for (String dir : List.of("routes", "rules", "stages", "targets")) {
            for (Path f : files(RESOURCES.resolve(dir), "")) {
                placeholders(Files.readString(f), read);
            }
        }
        placeholders(Files.readString(RESOURCES.resolve("application.yaml")), read);
        for (Path f : files(JAVA, ".java")) {
            String source = Files.readString(f);
            Matcher literal = STRING_LITERAL.matcher(source);
            while (literal.find()) {
                placeholders(literal.group(), read); // @Value("${...}"), resolvePropertyPlaceholders("{{...}}")
            }
            for (Pattern p : List.of(ENV_READ, GETENV)) {
                Matcher m = p.matcher(source);
                while (m.find()) {
                    read.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                }
            }
            Matcher constant = ENV_READ_OF_CONSTANT.matcher(source);
            while (constant.find()) {
                Matcher value = Pattern.compile("\\b" + constant.group(1) + "\\s*=\\s*\"(" + NAME + ")\"").matcher(source);
                if (value.find()) {
                    read.computeIfAbsent(value.group(1), k -> new TreeSet<>());
                }
            }
        }
        return read;
    }

    /** Adds each {{NAME[:default]}} and ${NAME[:default]} in the text, nested ones in defaults included. */
    static void placeholders(String text, Map<String, Set<String>> out) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            Set<String> defaults = out.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            if (":".equals(m.group(3))) {
                String close = m.group(1).equals("{{") ? "}}" : "}";
                String d = defaultValue(text, m.end(), close);
                if (d != null) {
                    defaults.add(d);
                }
            }
        }
    }

    /** The text from start to the placeholder's closing brace(s), skipping placeholders nested in it. */
    private static String defaultValue(String text, int start, String close) {
        Deque<String> nested = new ArrayDeque<>();
        int k = start;
        while (k < text.length()) {
            if (text.startsWith("{{", k)) {
                nested.push("}}");
                k += 2;
            } else if (text.startsWith("${", k)) {
                nested.push("}");
                k += 2;
            } else if (nested.isEmpty() && text.startsWith(close, k)) {
                return text.substring(start, k);
            } else if (!nested.isEmpty() && text.startsWith(nested.peek(), k)) {
                k += nested.pop().length();
            } else {
                k++;
            }
        }
        return null; // not closed: not a placeholder
    }

    /** The rows of the `| variable | default | meaning |` table under README's "## Configuration". */
    static List<Row> table() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int section = lines.indexOf("## Configuration");
        assertThat(section).as("README has a Configuration section").isNotNegative();
        int header = lines.subList(section, lines.size()).indexOf("| variable | default | meaning |") + section;
        assertThat(header).as("its table").isGreaterThan(section);
        List<Row> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("(?<!\\\\)\\|");
            List<String> names = new ArrayList<>();
            Matcher code = Pattern.compile("`([^`]+)`").matcher(cells[1]);
            while (code.find()) {
                assertThat(code.group(1)).as("a variable spelled out in full, line %d: %s", i + 1, lines.get(i)).matches(NAME);
                names.add(code.group(1));
            }
            assertThat(names).as("a row names its variables in backticks, line %d", i + 1).isNotEmpty();
            Map<String, String> literal = new TreeMap<>();
            String[] defaults = cells[2].trim().split(" / ");
            if (defaults.length == names.size()) {
                for (int n = 0; n < names.size(); n++) {
                    Matcher one = Pattern.compile("`([^`]*)`").matcher(defaults[n].trim());
                    if (one.matches()) {
                        literal.put(names.get(n), one.group(1));
                    }
                }
            }
            rows.add(new Row(names, literal));
        }
        return rows;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
