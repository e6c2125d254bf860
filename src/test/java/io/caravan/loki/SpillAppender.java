package io.caravan.loki;

import io.caravan.wal.SegmentLog;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child process for the kill -9 test: appends batches forever and prints "ok N" after each append returns. */
public final class SpillAppender {

    public static void main(String[] args) throws Exception {
        SegmentLog<LokiRecords.Piece> log = SpillLogTest.open("child", Path.of(args[0]), 64 * 1024, 64L << 20, 1_000);
        Labels labels = Labels.of("app", "child");
        for (int n = 0; ; n++) {
            List<LogEntry> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(new LogEntry(labels, n * 10L + i, "entry " + (n * 10 + i)));
            }
            SpillLogTest.append(log, batch);
            System.out.println("ok " + n);
            System.out.flush();
        }
    }
}
