package io.caravan.bench;

import io.caravan.node.NodeExporter;
import io.caravan.node.NodeExporterConfig;
import io.caravan.scrape.parse.ExpositionParser;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full scrape of the built-in node exporter against this machine's /proc and /sys.
 * {@code collectors=all} is the eleven default collectors; {@code no-filesystem} leaves out the one
 * collector whose statfs goes through the stat(1) command when JNA is not on the classpath.
 * <p>
 * {@code scrapeAndParse} is what the node-metrics route costs up to the appender's series cache: collect, write the
 * text format, parse it back ({@code localExporter} hands the appender text). {@code parseBody} is the parse alone,
 * on a body taken in set-up: with {@code scrape}, what the text round trip costs next to the collectors' own work.
 * <pre>
 * mvn -o -q test-compile
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main NodeExporterBenchmark -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NodeExporterBenchmark {

    @Param({"all", "no-filesystem"})
    public String collectors;

    private NodeExporter exporter;
    private byte[] body;
    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        NodeExporterConfig.Builder b = NodeExporterConfig.builder();
        if ("no-filesystem".equals(collectors)) {
            b.collectors(java.util.List.of("cpu", "diskstats", "loadavg", "meminfo", "netdev", "netstat", "stat", "time", "uname", "vmstat"));
        }
        exporter = new NodeExporter(b.build());
        System.err.println("statfs: " + exporter.statfsImplementation());
        body = exporter.scrape();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        exporter.close();
    }

    @Benchmark
    public void scrape() throws IOException {
        exporter.scrape(sink);
    }

    @Benchmark
    public double scrapeAndParse() throws Exception {
        return parse(exporter.scrape());
    }

    @Benchmark
    public double parseBody() throws Exception {
        return parse(body);
    }

    /** Reads every series' key span, value and timestamp, as the appender does for a series its cache knows. */
    private static double parse(byte[] text) throws Exception {
        ExpositionParser parser = ExpositionParser.forContentType("text/plain; version=0.0.4");
        parser.reset(text, 0, text.length);
        double sum = 0;
        ExpositionParser.Entry e;
        while ((e = parser.next()) != ExpositionParser.Entry.EOF) {
            if (e == ExpositionParser.Entry.SERIES) {
                sum += parser.value() + parser.seriesLength() + (parser.hasTimestamp() ? parser.timestampMs() : 0);
            }
        }
        return sum;
    }
}
