package io.caravan;

import io.caravan.image.DockerfileTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/caravan}, the tools' fast start: it extracts the built jar beside itself, writes a class-data archive on a
 * tool's first run and maps it on the next; the answers are the fat jar's. Needs the jar (skipped without it on a
 * developer's machine, a failure where CARAVAN_E2E_REQUIRED=1).
 */
class ToolScriptTest {

    static final String STAGES = "- json:\n    expressions:\n      level: level\n- labels:\n    values:\n      level:\n";
    static final String ENTRY = "{\"line\":\"{\\\"level\\\":\\\"warn\\\"}\",\"labels\":{\"app\":\"x\"},\"timestamp\":\"2024-01-01T00:00:00Z\"}\n";
    static final String OUT = "{\"line\":\"{\\\"level\\\":\\\"warn\\\"}\",\"labels\":{\"app\":\"x\",\"level\":\"warn\"},"
            + "\"structured_metadata\":{},\"timestamp\":\"2024-01-01T00:00:00Z\",\"tenant\":null}\n";

    record Run(int exit, String stdout, String stderr) {}

    @Test
    void process_answers_as_the_fat_jar_does_and_its_second_run_maps_the_archive_of_the_first(@TempDir Path dir) throws Exception {
        DockerfileTest.requireOrSkip(Files.isRegularFile(DockerfileTest.JAR), "no " + DockerfileTest.JAR + ": run mvn package first");
        Path jar = dir.resolve("caravan.jar");
        Files.copy(DockerfileTest.JAR, jar); // extracted beside the copy, not beside the build's jar
        Path stages = Files.writeString(dir.resolve("st.yaml"), STAGES);

        Run first = tool(dir, jar, ENTRY, "process", "--stages", stages.toString());
        assertThat(first.stdout()).as(first.stderr()).isEqualTo(OUT);
        assertThat(first.exit()).isZero();
        Path extracted = dir.resolve("caravan.jar.extracted");
        assertThat(extracted.resolve("caravan.jar")).isRegularFile();
        List<Path> archives;
        try (Stream<Path> s = Files.list(extracted)) {
            archives = s.filter(p -> p.getFileName().toString().matches("process-\\d+\\.jsa")).toList();
        }
        assertThat(archives).as("the first run writes the command's archive").hasSize(1);
        assertThat(Files.size(archives.get(0))).isGreaterThan(1L << 20);

        // the next run maps that archive (the JVM says so), and -Xshare:on makes an archive it cannot map an error
        Run mapped = tool(dir, jar, ENTRY, Map.of("JAVA_TOOL_OPTIONS", "-Xshare:on -XX:+PrintSharedArchiveAndExit"),
                "process", "--stages", stages.toString());
        assertThat(mapped.exit()).as(mapped.stderr()).isZero();
        assertThat(mapped.stdout()).contains("Dynamic archive name: " + archives.get(0));
        Run second = tool(dir, jar, ENTRY, Map.of("JAVA_TOOL_OPTIONS", "-Xshare:on"), "process", "--stages", stages.toString());
        assertThat(second.exit()).as(second.stderr()).isZero();
        assertThat(second.stdout()).isEqualTo(OUT);

        Run refused = tool(dir, jar, ENTRY, "process", "--stages", dir.resolve("missing.yaml").toString());
        assertThat(refused.exit()).as("the tool's own exit status comes through").isEqualTo(1);
        assertThat(refused.stderr()).contains("missing.yaml");
    }

    @Test
    void without_the_jar_it_says_how_to_build_it(@TempDir Path dir) throws Exception {
        Run run = tool(dir, dir.resolve("none.jar"), "", "process");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("none.jar is not there").contains("mvn -B -q package");
    }

    static Run tool(Path dir, Path jar, String stdin, String... args) throws Exception {
        return tool(dir, jar, stdin, Map.of(), args);
    }

    static Run tool(Path dir, Path jar, String stdin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", Path.of("bin/caravan").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().put("CARAVAN_JAR", jar.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(env);
        Path err = dir.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }
}
