package io.caravan.logs.process;

import io.caravan.logs.ReadClock;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code process --stages FILE [--raw]}: the operator's way to test a stage file, as {@code relabel} is for rules.
 * Entries are read from stdin one per line ({@link EntryJson}), each goes through the pipeline as it is read, and
 * what leaves the pipeline is printed at once, so the command also works interactively; at the end of the input
 * the entries the stages still hold (cri partial lines, multiline blocks) are flushed. Starts no Spring and no route: the stage file
 * goes through the agent's parser and placeholders ({@link CamelPlaceholders}), and the stages run as one
 * loki-process endpoint runs them, state across entries included (limit's buckets, cri's partial lines).
 */
public final class ProcessCommand {

    static final String USAGE = """
            usage: process --stages STAGES.yaml [--raw]
              Runs a loki.process stage file, loaded as the agent loads it, over the entries read from stdin, one
              JSON object per line: {"line": "...", "labels": {...}, "timestamp": "<RFC 3339>"} (labels and timestamp
              optional; without a timestamp, the time the line was read). Prints one JSON object per entry that leaves
              the pipeline, in order: {"line", "labels", "structured_metadata", "timestamp", "tenant"} (timestamp in
              UTC to the nanosecond, trailing zeros trimmed; tenant is what a tenant stage set, the __tenant_id__
              label, which labels then leaves out as the loki sink leaves it out of the stream; null when none).
              Dropped entries print nothing; what the stages still hold at the end of the input (cri partial lines,
              multiline blocks) is printed then.
              --stages FILE   YAML list of stages (a path, file: or classpath:); placeholders resolved from the environment
              --raw           read plain log lines instead: no labels, stamped with the time they were read
              Exit status: 0; 1 when the stage file is refused or an input line was bad (reported as stdin:LINE: reason,
              and skipped); 2 for bad usage.""";

    private ProcessCommand() {
    }

    public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        String stagesFile = null;
        boolean raw = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--stages") && i + 1 < args.length) {
                stagesFile = args[++i];
            } else if (arg.startsWith("--stages=")) {
                stagesFile = arg.substring("--stages=".length());
            } else if (arg.equals("--raw")) {
                raw = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                stdout.println(USAGE);
                return 0;
            } else {
                return usageError(stderr, arg.equals("--stages") ? "--stages needs a file name" : "unknown argument '" + arg + "'");
            }
        }
        if (stagesFile == null || stagesFile.isBlank()) {
            return usageError(stderr, "--stages is required");
        }
        Pipeline pipeline;
        try (CamelPlaceholders placeholders = new CamelPlaceholders()) {
            pipeline = load(stagesFile, placeholders);
        } catch (IOException | RuntimeException e) {
            stderr.println("process: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
        return processLines(pipeline, raw, stdin, stdout, stderr);
    }

    private static int usageError(PrintStream stderr, String problem) {
        stderr.println("process: " + problem);
        stderr.println(USAGE);
        return 2;
    }

    /**
     * The stage file read as loki-process reads it: the agent's parser, its placeholders, its errors (file, stage,
     * line and column), and a registry of its own for the stages' counters.
     */
    static Pipeline load(String stagesFile, CamelPlaceholders placeholders) throws IOException {
        return Pipeline.parse(read(stagesFile), stagesFile, pipelineName(stagesFile), new SimpleMeterRegistry(), placeholders);
    }

    /** A path, file:PATH or classpath:NAME (the jar's own stage files, as the shipped routes name them). */
    static String read(String location) throws IOException {
        try {
            if (location.startsWith("classpath:")) {
                String name = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = ProcessCommand.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new NoSuchFileException(name, null, "not in the jar");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location));
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException n ? (n.getReason() != null ? n.getReason() : "no such file") : e.toString();
            throw new IOException("cannot read " + location + " (" + reason + "); check the path, its prefix (classpath: or file:)"
                    + " and its permissions", e);
        }
    }

    /** The log-pipeline template names a stage file after its pipeline: pod-logs.yaml is pipeline pod-logs. */
    static String pipelineName(String stagesFile) {
        String base = stagesFile.substring(Math.max(stagesFile.lastIndexOf('/'), stagesFile.lastIndexOf(':')) + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static int processLines(Pipeline pipeline, boolean raw, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        ReadClock clock = new ReadClock(); // as a tail source stamps lines: read time, strictly increasing
        boolean anyBad = false;
        int lineNumber = 0;
        try {
            String text;
            while ((text = in.readLine()) != null) {
                lineNumber++;
                LogEntry entry;
                if (raw) {
                    entry = new LogEntry(Labels.EMPTY, clock.next(), text);
                } else if (text.isBlank()) {
                    continue; // a blank line between objects is layout, not an entry
                } else {
                    try {
                        entry = EntryJson.read(text, clock::next);
                    } catch (IllegalArgumentException e) {
                        stderr.println("stdin:" + lineNumber + ": " + e.getMessage());
                        anyBad = true;
                        continue;
                    }
                }
                try {
                    print(pipeline.process(List.of(entry)), stdout);
                } catch (RuntimeException e) {
                    // the agent's route would lose this batch and go on; so does the command, saying so
                    stderr.println("stdin:" + lineNumber + ": the stages failed on this entry: " + e);
                    anyBad = true;
                }
            }
        } catch (IOException e) {
            stderr.println("process: cannot read stdin: " + e.getMessage());
            anyBad = true;
        }
        print(pipeline.flush(), stdout);
        stdout.flush();
        return anyBad ? 1 : 0;
    }

    private static void print(List<LogEntry> entries, PrintStream stdout) {
        for (LogEntry e : entries) {
            stdout.println(EntryJson.write(e));
        }
    }
}
