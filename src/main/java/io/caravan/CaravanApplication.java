package io.caravan;

import io.caravan.logs.process.ProcessCommand;
import io.caravan.relabel.RelabelCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.ComponentScan;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The one jar: the agent ({@code run}, the default) and the operator's tools, which answer without
 * starting Spring so they are quick enough for a shell loop. The agent imports the auto-configurations it uses
 * ({@link AgentAutoConfiguration}), not every one on the class path.
 */
@SpringBootConfiguration
@ComponentScan
@AgentAutoConfiguration
public class CaravanApplication {

    static final String USAGE = """
            usage: java -jar caravan.jar [COMMAND] [OPTIONS]

            commands:
              run                         start the agent (the default when no command is given)
              relabel --rules RULES.yaml  relabel JSON label sets read from stdin, one per line
              process --stages STAGES.yaml [--raw]
                                          run log entries read from stdin (JSON, one per line; --raw: plain lines)
                                          through loki.process stages; print what leaves them as JSON (tenant: null
                                          until a stage sets one)
              node-metrics [--path.procfs DIR] [--path.sysfs DIR] [--path.rootfs DIR] [--path.udev.data DIR]
                           [--collectors cpu,meminfo,...]
                                          print one scrape of the built-in node exporter
              validate [DIR]              check every route and rule file; report errors with file and line
              tap ROUTE[:STEP] [--url URL] [--limit N] [--seconds S] [--rate N] [--direction in|out|both]
                                          print what passes a step of a route on a running agent (without STEP:
                                          what leaves its source), one item a line, secrets redacted; --url: the
                                          agent's UI (default http://127.0.0.1:12345)
              help                        print this text

            The agent is configured through environment variables; see README.md.
            """;

    public static void main(String[] args) {
        int code = dispatch(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs a tool and returns its exit code, or starts the agent and returns -1 (the JVM keeps running). */
    static int dispatch(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 || args[0].startsWith("-") ? "run" : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
        if (!command.equals("run")) {
            quietLogging(); // a tool's output is its answer; Camel's start-up chatter is not
        }
        switch (command) {
            case "run" -> {
                startAgent(rest);
                return -1;
            }
            case "relabel" -> {
                return RelabelCommand.run(rest, System.in, out, err);
            }
            case "process" -> {
                return ProcessCommand.run(rest, System.in, out, err);
            }
            case "node-metrics" -> {
                return io.caravan.node.NodeMetricsCommand.run(rest, out, err);
            }
            case "validate" -> {
                return ValidateCommand.run(rest, System.getenv(), out, err);
            }
            case "tap" -> {
                return io.caravan.tap.TapCommand.run(rest, System.getenv(), out, err);
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                return 0;
            }
            default -> {
                err.println("caravan: unknown command '" + command + "'");
                err.print(USAGE);
                return 2;
            }
        }
    }

    private static void quietLogging() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
            // validate reports Camel's start-up failures itself, one line each, without stack traces
            logback.getLoggerContext().getLogger("org.apache.camel").setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    static void startAgent(String[] args) {
        if (io.caravan.tracing.SelfTracing.install(System.getenv(), Map.of()) != null) { // before Camel takes its tracer
            // only then Camel's tracer (CamelServices): without an exporter it would trace every exchange into a no-op
            System.setProperty("camel.opentelemetry2.enabled", "true");
        }
        // A system property, so it wins over application.yaml's default (which tests and tools see)
        if (System.getProperty("camel.main.routes-include-pattern") == null) {
            System.setProperty("camel.main.routes-include-pattern", RouteSources.includePattern(System.getenv()));
        }
        new SpringApplication(CaravanApplication.class).run(args);
    }
}
