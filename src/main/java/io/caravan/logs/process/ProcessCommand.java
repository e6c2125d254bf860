package io.caravan.logs.process;

import io.caravan.logs.ReadClock;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code process --stages FILE [--raw]}: the operator's way to test a stage file, as {@code relabel} is for rules.
 * Entries are read from stdin one per line ({@link EntryJson}), each goes through the pipeline as it is read, and
 * what leaves the pipeline is printed at once, so the command also works interactively; at the end of the input
 * the entries the stages still hold (cri partial lines) are flushed. Starts no Spring and no route: the stage file
 * is loaded by a {@link ProcessEndpoint} on a Camel context that is never started, as the agent loads it.
 */
public final class ProcessCommand {

    static final String USAGE = """
            usage: process --stages FILE [--raw]
              Runs a loki.process stage file, loaded as the agent loads it, over the entries read from stdin, one
              JSON object per line: {"line": "...", "labels": {...}, "timestamp": "<RFC 3339>"} (labels and timestamp
              optional; without a timestamp, the time the line was read). Prints one JSON object per entry that leaves
              the pipeline, in order: {"line", "labels", "structured_metadata", "timestamp", "tenant"} (timestamp in
              UTC to the nanosecond, trailing zeros trimmed; tenant is null: no stage sets one yet). Dropped entries
              print nothing; cri partial lines still held at the end of the input are printed then.
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
        // never started: it only resolves placeholders and reads the file, as the agent's context does for the endpoint
        CamelContext camel = new DefaultCamelContext();
        try {
            pipeline = load(camel, stagesFile);
        } catch (Exception e) {
            stderr.println("process: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        } finally {
            closeQuietly(camel);
        }
        return processLines(pipeline, raw, stdin, stdout, stderr);
    }

    private static void closeQuietly(CamelContext camel) {
        try {
            camel.close();
        } catch (Exception nothingToRelease) {
            // it never started: there is nothing of it the pipeline needs or that could leak
        }
    }

    private static int usageError(PrintStream stderr, String problem) {
        stderr.println("process: " + problem);
        stderr.println(USAGE);
        return 2;
    }

    /** The endpoint's own loading (file, placeholders, parser, errors), with a registry of its own for the counters. */
    static Pipeline load(CamelContext camel, String stagesFile) throws Exception {
        camel.getRegistry().bind("caravanProcessMeters", MeterRegistry.class, new SimpleMeterRegistry());
        ProcessComponent component = new ProcessComponent();
        component.setCamelContext(camel);
        String name = pipelineName(stagesFile);
        ProcessEndpoint endpoint = new ProcessEndpoint("loki-process:" + name, component, name);
        endpoint.setStages(stagesFile);
        return endpoint.load();
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
