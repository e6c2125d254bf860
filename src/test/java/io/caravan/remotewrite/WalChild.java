package io.caravan.remotewrite;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Child process for the kill -9 test: offers PER_OFFER samples (series i=0..PER_OFFER-1 at time n: floats, native
 * histograms and exemplars, see {@link #sample}) to a queue sending to the given receiver, and prints "ok n" after
 * each offer returns, forever.
 */
public final class WalChild {

    static final int PER_OFFER = 50;
    static final RemoteWriteSettings SETTINGS = RemoteWriteQueueTest.settings(3);

    /**
     * Sample i of offer n: every tenth series a native histogram (count n, one bucket of n) with an exemplar, the
     * fifth of each ten a float with an exemplar, the rest plain floats; the value n in each, so any damage shows.
     */
    static Sample sample(int i, int n) {
        Labels labels = Labels.of("__name__", "child", "i", Integer.toString(i));
        List<Exemplar> exemplars = i % 5 == 0 ? List.of(new Exemplar(Labels.of("trace_id", "t" + n), n, n)) : List.of();
        if (i % 10 == 0) {
            NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 0, 0, 0, n, n, null, null,
                    new int[]{0, 1}, new double[]{n}, null);
            return new Sample(labels, n, 0, h, exemplars, 0);
        }
        return new Sample(labels, n, n, null, exemplars, 0);
    }

    public static void main(String[] args) throws Exception {
        RemoteWriteQueue q = RemoteWriteQueueTest.queue(Path.of(args[0]), args[1], Labels.EMPTY, SETTINGS,
                new SimpleMeterRegistry(), Executors.newCachedThreadPool());
        for (int n = 0; ; n++) {
            List<Sample> batch = new ArrayList<>(PER_OFFER);
            for (int i = 0; i < PER_OFFER; i++) {
                batch.add(sample(i, n));
            }
            if (q.offer(batch) != 0) {
                throw new IllegalStateException("offer dropped samples");
            }
            System.out.println("ok " + n);
            System.out.flush();
            if (n % 20 == 0) {
                Thread.sleep(5); // let some batches reach the receiver before the kill
            }
        }
    }
}
