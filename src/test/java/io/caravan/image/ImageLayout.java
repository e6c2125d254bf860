package io.caravan.image;

import io.caravan.image.DockerfileTest.Instruction;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image's runtime stage replayed from the Dockerfile without Docker: the jar's layers extracted and copied into one
 * directory as the image's WORKDIR, the AOT-cache training RUN executed as written (its /app and /tmp paths moved into
 * that directory, the HTTP port a free one), and the image's environment and ENTRYPOINT to start the agent with.
 * DockerfileTest checks the image with it; bench/peers.sh starts Caravan with it, so "as the image starts it" is
 * whatever the Dockerfile says.
 */
public final class ImageLayout {

    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))");
    static final String TRAINING_MARK = "-XX:AOTCacheOutput=";

    private final Path app;
    private final Path root;
    private final String java;
    private final List<Instruction> instructions;

    private ImageLayout(Path root, String java) throws IOException {
        this.root = root;
        this.app = root.resolve("app");
        this.java = java;
        this.instructions = DockerfileTest.instructions();
    }

    /** Extracts {@code jar}'s layers into {@code root/app} and runs the image's training there. */
    public static ImageLayout build(Path jar, Path root, String java) throws Exception {
        ImageLayout layout = new ImageLayout(root, java);
        layout.extract(jar);
        layout.train();
        return layout;
    }

    /** The image's WORKDIR here. */
    public Path app() {
        return app;
    }

    /** The cache the training wrote (the path in the training RUN, moved here). */
    public Path aotCache() {
        Matcher m = Pattern.compile(Pattern.quote(TRAINING_MARK) + "(\\S+)").matcher(trainingRun().args());
        if (!m.find()) {
            throw new IllegalStateException("the training RUN names no " + TRAINING_MARK + " file");
        }
        return Path.of(local(m.group(1)));
    }

    /** ENTRYPOINT with its paths moved here, and "java" the given JVM. */
    public List<String> command(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        for (String a : DockerfileTest.entrypoint(instructions)) {
            cmd.add(a.equals("java") ? java : local(a));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The runtime stage's ENV at the ENTRYPOINT, paths moved here (without CARAVAN_DATA_DIR: the caller's). */
    public Map<String, String> environment() {
        Map<String, String> env = envUpTo(instructions.size());
        env.remove("CARAVAN_DATA_DIR");
        return env;
    }

    Instruction trainingRun() {
        return DockerfileTest.of(instructions, "RUN", DockerfileTest.lastStage(instructions)).stream()
                .filter(i -> i.args().contains(TRAINING_MARK)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Dockerfile's runtime stage has no AOT training RUN"));
    }

    private void extract(Path jar) throws Exception {
        Path extracted = root.resolve("extracted");
        run(List.of(java, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--layers",
                "--destination", extracted.toString()), Map.of(), 120);
        Files.createDirectories(app);
        for (String layer : DockerfileTest.layerCopies(instructions)) {
            DockerfileTest.copyTree(extracted.resolve(layer), app);
        }
    }

    private void train() throws Exception {
        Instruction training = trainingRun();
        Map<String, String> env = envUpTo(instructions.indexOf(training));
        env.put("CARAVAN_HTTP_PORT", Integer.toString(freePort()));
        String script = local(training.args()).replaceAll("(^|\\s)java\\s", "$1'" + java + "' ");
        run(List.of("sh", "-c", script), env, 300);
    }

    /** Every ENV of the runtime stage before instruction {@code end}, values with their paths moved here. */
    private Map<String, String> envUpTo(int end) {
        int stage = DockerfileTest.lastStage(instructions);
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : instructions.subList(0, end)) {
            if (i.stage() == stage && i.keyword().equals("ENV")) {
                Matcher m = ENV_PAIR.matcher(i.args());
                while (m.find()) {
                    env.put(m.group(1), local(m.group(3) != null ? m.group(3) : m.group(4)));
                }
            }
        }
        return env;
    }

    /** An image path (/app/..., /tmp/...) as its place under this layout's root. */
    String local(String text) {
        String workdir = DockerfileTest.workdir(instructions);
        // one pass over absolute paths only (where a path starts: after a blank, '=', a quote), so a replaced path
        // that itself lies under /tmp is not replaced again
        Matcher m = Pattern.compile("(?<=^|[\\s=\"'])(" + Pattern.quote(workdir + "/") + "|/tmp/)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String into = m.group(1).equals("/tmp/") ? root.resolve("tmp") + "/" : app + "/";
            m.appendReplacement(out, Matcher.quoteReplacement(into));
        }
        return m.appendTail(out).toString();
    }

    private void run(List<String> cmd, Map<String, String> env, int seconds) throws Exception {
        Files.createDirectories(root.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("build.log").toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " still running after " + seconds + " s");
        }
        if (p.exitValue() != 0) {
            Path trainingLog = root.resolve("tmp/aot-training.log");
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                    + Files.readString(root.resolve("build.log"), StandardCharsets.UTF_8)
                    + (Files.exists(trainingLog) ? Files.readString(trainingLog, StandardCharsets.UTF_8) : ""));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
